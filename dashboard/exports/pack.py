"""The statement pack: one zip per figure with the images, the numbers, the citation, alt text and a README."""

from __future__ import annotations

import io
import textwrap
import zipfile
from collections.abc import Callable
from dataclasses import dataclass

from dashboard.exports import citation
from dashboard.exports.browser import ExportServer
from dashboard.exports.images import file_name, render_image
from dashboard.exports.provenance import ExportContext, source_line
from dashboard.exports.tables import ExportTable, export_table, to_csv, to_excel_csv
from dashboard.exports.xlsx import to_xlsx
from dashboard.presenting.figure_spec import FigureSpec
from etl import disclosure
from etl.codebook import TOTAL, load_codebook
from etl.i18n import t

Progress = Callable[[float, str], None]
IMAGE_FORMATS = ("png", "svg", "pdf")


@dataclass(frozen=True)
class Exports:
    """Everything text- and table-shaped about one figure, computed once and shared by every download."""

    spec: FigureSpec
    ctx: ExportContext
    table: ExportTable  # what the chart draws (alt text, the image's notes)
    numbers: ExportTable  # what the table files hold: the table, or the whole breakdown (FigureSpec.numbers)
    notes: list[str]

    @classmethod
    def of(cls, spec: FigureSpec, ctx: ExportContext) -> Exports:
        table = export_table(spec)
        numbers = export_table(spec, spec.numbers) if spec.numbers is not None else table
        return cls(spec, ctx, table, numbers, citation.export_notes(spec, table, ctx))

    def csv(self) -> bytes:
        return to_csv(self.numbers)

    def excel_csv(self) -> bytes:
        return to_excel_csv(self.numbers)

    def xlsx(self) -> bytes:
        lang = self.ctx.lang
        return to_xlsx(
            self.numbers,
            lang,
            notes=citation.page_notes(self.notes, self.numbers, self.ctx) + citation.notation(self.numbers, self.ctx),
            sources=citation.sources(self.spec, self.ctx),
            citation=[
                (t("exports.citation_short_label", lang), citation.short_citation(self.spec, self.ctx)),
                (t("exports.citation_long_label", lang), citation.long_citation(self.spec, self.ctx)),
            ],
            filters=citation.filters(self.spec, self.ctx),
        )

    def citation_text(self) -> str:
        lang = self.ctx.lang
        return (
            f"{t('exports.citation_short_label', lang)}\n{citation.short_citation(self.spec, self.ctx)}\n\n"
            f"{t('exports.citation_long_label', lang)}\n{citation.long_citation(self.spec, self.ctx)}\n"
        )

    def image(self, server: ExportServer, fmt: str, preset: str) -> bytes:
        return render_image(server, self.spec, self.ctx, self.notes, fmt, preset)

    def name(self, extension: str, preset: str | None = None) -> str:
        return file_name(self.spec, self.ctx, extension, preset)


def pack_files(exports: Exports, with_images: bool = True) -> dict[str, str]:
    """The names in the zip, in order, each with the kind of file it is (for the README)."""
    files = {exports.name(fmt): fmt for fmt in IMAGE_FORMATS} if with_images else {}
    files |= {exports.name("csv"): "csv", exports.name("excel.csv"): "excel_csv", exports.name("xlsx"): "xlsx"}
    return files | {"citation.txt": "citation", "alt-text.txt": "alt_text", "README.txt": "readme"}


def _definitions(spec: FigureSpec, lang: str) -> list[str]:
    codebook = load_codebook()
    lines = []
    measure = codebook.measures.get(spec.measure)
    if measure is not None:
        lines.append(f"{measure.label.get(lang)} ({measure.code}): {measure.definition.get(lang)}")
    for name in spec.dimensions:
        if name == TOTAL or name not in codebook.dimensions:
            continue
        codes = codebook.codes.get(name, {})
        listed = "; ".join(f"{c.code} = {c.label.get(lang)}" for c in codes.values()) if len(codes) <= 30 else ""
        label = codebook.dimensions[name].label.get(lang)
        lines.append(f"{label} ({name})" + (f": {listed}" if listed else ": " + t("exports.readme.iso", lang)))
    return lines or [t("exports.readme.no_definitions", lang)]


README_WIDTH = 100  # characters per line of the README: readable in any editor; links are never split


def _wrapped(text: str, bullet: bool = False) -> list[str]:
    prefix = "- " if bullet else ""
    indent = "  " if bullet else ""
    return textwrap.wrap(
        text, README_WIDTH, initial_indent=prefix, subsequent_indent=indent,
        break_on_hyphens=False, break_long_words=False,
    )  # fmt: skip


def _paragraphs(texts: list[str]) -> list[str]:
    """Plain text for any reader: paragraphs wrapped, a blank line between."""
    lines: list[str] = []
    for text in texts:
        lines += [*_wrapped(text), ""]
    return lines[:-1]


def _bullets(texts: list[str]) -> list[str]:
    return [line for text in texts for line in _wrapped(text, bullet=True)] or ["-"]


def readme(exports: Exports, alt_text: str, files: dict[str, str], with_images: bool) -> str:
    spec, ctx, lang = exports.spec, exports.ctx, exports.ctx.lang

    def section(key: str, lines: list[str]) -> list[str]:
        return ["", t(f"exports.readme.{key}", lang), "-" * len(t(f"exports.readme.{key}", lang)), *lines]

    protection = [*disclosure.explain_protection_text(lang, ctx.threshold), t("exports.readme.protection_rules", lang)]
    lines = [spec.title, spec.subtitle]
    lines += section("shows", _paragraphs([alt_text]))
    lines += section("definitions", _paragraphs(_definitions(spec, lang)))
    lines += section("notes", _bullets(citation.page_notes(exports.notes, exports.numbers, ctx)))
    notation = citation.notation(exports.numbers, ctx)
    lines += section(
        "notation", _bullets(notation) if notation else _paragraphs([t("exports.readme.nothing_hidden", lang)])
    )
    lines += section("protection", _paragraphs(protection))
    source = [source_line(spec, ctx), citation.long_citation(spec, ctx)]
    links = [f"{t('exports.permalink', lang)}: {ctx.permalink}", f"{t('exports.licence', lang)}: {ctx.licence}"]
    if ctx.public_links:  # kept by this very download (components.downloads.public_share)
        links.insert(1, f"{t('exports.public_link', lang)}: {ctx.public_link}")
    lines += section("source", [*_paragraphs(source), "", *links])
    described = [f"{name}: {t('exports.readme.file.' + kind, lang)}" for name, kind in files.items()]
    if not with_images:
        described.append(t("exports.readme.no_images", lang))
    lines += section("files", _bullets(described))
    return "\n".join(lines) + "\n"


def build_pack(
    exports: Exports,
    alt_text: str,
    server: ExportServer | None,
    preset: str,
    progress: Progress | None = None,
) -> bytes:
    """The zip; images only when a browser is available (the README then says why they are missing)."""
    report = progress or (lambda fraction, label: None)
    lang = exports.ctx.lang
    files = pack_files(exports, with_images=server is not None)
    content: dict[str, bytes] = {}
    if server is not None:
        for step, fmt in enumerate(IMAGE_FORMATS):
            report(step / 6, t("exports.progress.image", lang, format=fmt.upper()))
            content[exports.name(fmt)] = exports.image(server, fmt, preset)
    report(3 / 6, t("exports.progress.tables", lang))
    content[exports.name("csv")] = exports.csv()
    content[exports.name("excel.csv")] = exports.excel_csv()
    content[exports.name("xlsx")] = exports.xlsx()
    report(5 / 6, t("exports.progress.texts", lang))
    content["citation.txt"] = exports.citation_text().encode("utf-8")
    content["alt-text.txt"] = (alt_text.strip() + "\n").encode("utf-8")
    content["README.txt"] = readme(exports, alt_text.strip(), files, server is not None).encode("utf-8")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in files:
            entry = zipfile.ZipInfo(name, date_time=_zip_time(exports))
            archive.writestr(entry, content[name], compress_type=zipfile.ZIP_DEFLATED)
    report(1.0, t("exports.progress.done", lang))
    return buffer.getvalue()


def _zip_time(exports: Exports) -> tuple[int, int, int, int, int, int]:
    day = exports.ctx.retrieved
    return (day.year, day.month, day.day, 0, 0, 0)
