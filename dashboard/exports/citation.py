"""Short and long citations, and the notes every export repeats."""

from __future__ import annotations

from dashboard.exports.provenance import ExportContext
from dashboard.exports.tables import ExportTable
from dashboard.presenting.figure_spec import FigureSpec
from dashboard.reading.vocabulary import breakdown_pair
from dashboard.state import LANGUAGE_NAMES
from etl import disclosure
from etl.codebook import TOTAL, load_codebook
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
        "permalink": ctx.cited_link,
        "licence": ctx.licence,
        "code": ctx.figure_code,
    }


def short_citation(spec: FigureSpec, ctx: ExportContext) -> str:
    return t("exports.citation_short", ctx.lang, **_fields(spec, ctx))


def long_citation(spec: FigureSpec, ctx: ExportContext) -> str:
    return t("exports.citation_long", ctx.lang, **_fields(spec, ctx))


def protection_legend(table: ExportTable, ctx: ExportContext) -> list[str]:
    """One line for each protection symbol in the table, with its one meaning (DATA-CONTRACT 8.9)."""
    return disclosure.symbol_lines(table.flags, ctx.lang, ctx.threshold)


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


# The keys pages write in their address (dashboard/state.py); the Filters sheet names each in words.
VIEW_KEYS = ("page", "lang", "m", "measure", "b", "d", "c", "s", "p", "u", "g", "lfl", "y", "years", "year")
CHOICES = {"p": "trends.period_", "u": "trends.unit_", "g": "trends.chart_"}  # a key whose values have labels


def filters(spec: FigureSpec, ctx: ExportContext) -> list[tuple[str, str]]:
    """The applied view as (what was chosen, the choice) rows in the reader's language, labels with their codes."""
    lang = ctx.lang
    dimensions = [d for key in ("b", "d") for d in breakdown_pair(spec.view.get(key, TOTAL)) if d != TOTAL]
    rows = []
    for key, value in spec.view.items():
        if key == "v" or not value:
            continue  # the data version has its own row
        name = t(f"exports.view.{key}", lang) if key in VIEW_KEYS else _dimension_name(key, lang)
        rows.append((name, _choice(key, value, dimensions, lang)))
    rows.append((t("exports.data_version", lang), str(ctx.version)))
    rows.append((t("exports.permalink", lang), ctx.permalink))
    return rows


def _dimension_name(key: str, lang: str) -> str:
    dimension = load_codebook().dimensions.get(key)
    return dimension.label.get(lang) if dimension else key


def _choice(key: str, value: str, dimensions: list[str], lang: str) -> str:
    """A URL value as a reader names it: "New clients (PERS_NEW)", "2016–2025", "Lines"."""
    codebook = load_codebook()
    if key == "page":
        return t(f"nav.{value}", lang)
    if key == "lang":
        return LANGUAGE_NAMES.get(value, value)
    if key in CHOICES:
        return t(CHOICES[key] + value, lang)
    if key == "lfl":
        return t("exports.view.yes" if value == "1" else "exports.view.no", lang)
    if key in ("y", "years"):
        return "–".join(value.split(","))
    if value in codebook.measures:
        return f"{codebook.measures[value].label.get(lang)} ({value})"
    if key in ("b", "d"):
        pair = [d for d in breakdown_pair(value) if d in codebook.dimensions]
        return " × ".join(f"{codebook.dimensions[d].label.get(lang)} ({d})" for d in pair) or value
    among = [key] if key in codebook.dimensions else dimensions
    return ", ".join(_code_label(code, among, lang) for code in value.split(","))


def _code_label(code: str, dimensions: list[str], lang: str) -> str:
    codebook = load_codebook()
    for dimension in dimensions:
        if code in codebook.codes.get(dimension, {}):
            return f"{codebook.label(dimension, code, lang)} ({code})"
    return code


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
    if ctx.public_links:  # kept by the download that makes this file (components.downloads.public_share)
        rows.append((t("exports.public_link", ctx.lang), ctx.public_link))
    if ctx.synthetic:
        rows.append((t("exports.dataset", ctx.lang), t("exports.synthetic", ctx.lang)))
    return rows
