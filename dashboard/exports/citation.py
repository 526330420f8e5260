"""Short and long citations, and the notes every export repeats."""

from __future__ import annotations

from dashboard.exports.provenance import ExportContext
from dashboard.exports.tables import ExportTable
from dashboard.presenting.figure_spec import FigureSpec
from etl import disclosure
from etl.codebook import load_codebook
from etl.i18n import t


def _fields(spec: FigureSpec, ctx: ExportContext) -> dict[str, object]:
    return {
        "network": ctx.network,
        "title": spec.title.rstrip(". "),
        "subtitle": spec.subtitle.rstrip(". "),
        "version": str(ctx.version),
        "year": str(ctx.published.year),
        "published": ctx.published,
        "retrieved": ctx.retrieved,
        "permalink": ctx.permalink,
        "licence": ctx.licence,
        "code": ctx.figure_code,
    }


def short_citation(spec: FigureSpec, ctx: ExportContext) -> str:
    return t("exports.citation_short", ctx.lang, **_fields(spec, ctx))


def long_citation(spec: FigureSpec, ctx: ExportContext) -> str:
    return t("exports.citation_long", ctx.lang, **_fields(spec, ctx))


def protection_legend(table: ExportTable, ctx: ExportContext) -> list[str]:
    """One line for each protection symbol in the table, with its one meaning (DATA-CONTRACT 8.9)."""
    meanings = disclosure.flag_descriptions(ctx.lang, ctx.threshold)
    return [
        f"{disclosure.symbol(letter, ctx.threshold)}: {meanings[letter]}"
        for letter in (disclosure.FLAG_SMALL, disclosure.FLAG_SECONDARY)
        if letter in table.flags
    ]


def export_notes(spec: FigureSpec, table: ExportTable, ctx: ExportContext) -> list[str]:
    """The page's notes (caveat, series breaks), then the protection legend when a cell is hidden."""
    notes = [note for note in spec.notes if note]
    return notes + [line for line in protection_legend(table, ctx) if line not in notes]


FLAG_LETTERS = "cdpebr"  # c, d from disclosure; p, e, r as members send them; b a series break


def notation(table: ExportTable, ctx: ExportContext) -> list[str]:
    """Each symbol and flag letter the table holds, once, with its one meaning (Notes sheet, README).

    A hidden cell shows `<5` or `x` and has the flag c or d: "<5 (c): 1–4 persons ...".
    """
    meanings = disclosure.flag_descriptions(ctx.lang, ctx.threshold)
    lines = []
    for letter in sorted(table.flags & set(FLAG_LETTERS), key=FLAG_LETTERS.index):
        shown = disclosure.symbol(letter, ctx.threshold)
        name = f"{shown} ({letter})" if shown != letter else letter
        lines.append(f"{name}: {meanings.get(letter) or t('exports.flag.' + letter, ctx.lang)}")
    return lines


def page_notes(notes: list[str], table: ExportTable, ctx: ExportContext) -> list[str]:
    """The notes without the protection legend lines (files that list the notation apart)."""
    legend = protection_legend(table, ctx)
    return [note for note in notes if note not in legend]


def filters(spec: FigureSpec, ctx: ExportContext) -> list[tuple[str, str]]:
    """The applied view as (name, value) rows, with codebook labels where the codes are known."""
    codebook = load_codebook()
    rows = []
    for key, value in spec.view.items():
        label = value
        if value in codebook.measures:
            label = f"{value} ({codebook.measures[value].label.get(ctx.lang)})"
        elif key in codebook.dimensions:
            name = codebook.dimensions[key].label.get(ctx.lang)
            codes = [c for c in value.split(",") if c in codebook.codes.get(key, {})]
            label = ", ".join(f"{c} ({codebook.label(key, c, ctx.lang)})" for c in codes) or value
            key = f"{key} ({name})"
        elif value in codebook.dimensions:
            label = f"{value} ({codebook.dimensions[value].label.get(ctx.lang)})"
        rows.append((key, label))
    rows.append((t("exports.data_version", ctx.lang), str(ctx.version)))
    rows.append((t("exports.permalink", ctx.lang), ctx.permalink))
    return rows


def sources(spec: FigureSpec, ctx: ExportContext) -> list[tuple[str, str]]:
    rows = [
        (t("exports.source", ctx.lang), ctx.network),
        (t("exports.figure", ctx.lang), spec.title),
        (t("exports.what_is_counted", ctx.lang), spec.subtitle),
    ]
    if spec.members_reported:
        rows.append((t("exports.coverage", ctx.lang), spec.members_reported))
    rows += [
        (t("exports.data_version", ctx.lang), str(ctx.version)),
        (t("exports.published", ctx.lang), t("exports.date", ctx.lang, date=ctx.published)),
        (t("exports.retrieved", ctx.lang), t("exports.date", ctx.lang, date=ctx.retrieved)),
        (t("exports.licence", ctx.lang), ctx.licence),
        (t("exports.figure_code", ctx.lang), ctx.figure_code),
        (t("exports.permalink", ctx.lang), ctx.permalink),
    ]
    if ctx.synthetic:
        rows.append((t("exports.dataset", ctx.lang), t("exports.synthetic", ctx.lang)))
    return rows
