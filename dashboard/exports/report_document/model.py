"""The report as the renderers read it, and what both formats share: words, text clean-up, tables."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from etl.i18n import format_date, t


@dataclass(frozen=True)
class ReportFigure:
    number: int  # 1, 2, ... in report order
    title: str
    subtitle: str  # e.g. "New clients · 2016–2025 · 7–11 members reported"
    png: bytes  # the figure's image as the dashboard exports it
    alt: str  # one-sentence text alternative (the figure's summary)
    columns: list[str]  # the figure's table as shown: header
    rows: list[list[str]]  # ... and rows, already formatted ("1 234", "<5", "x", "..", "45 %")
    notes: list[str]  # notes and notation lines under the figure
    citation: str  # how to cite the figure
    permalink: str  # the figure's address in the dashboard


@dataclass(frozen=True)
class ReportSection:
    heading: str
    paragraphs: list[str]  # plain text; may contain "**bold**" only; one list item per paragraph
    figures: list[ReportFigure]  # shown after the section's paragraphs


@dataclass(frozen=True)
class ReportDocument:
    lang: str  # "fi" | "sv" | "en"
    title: str
    subtitle: str
    period: str  # "2025" or "2025H1"
    version: int  # the data version every figure comes from
    published: date
    author: str  # the platform's name (metadata author)
    sections: list[ReportSection]
    colophon: list[str]  # closing lines: citation of the report, licence, notation legend, data version


# ---------------------------------------------------------------------------
# Shared by both formats: words, text clean-up, table reading
# ---------------------------------------------------------------------------

INK, GREY, RULE, SHADE, ZEBRA = "#222222", "#555555", "#999999", "#EDEDED", "#F7F7F7"  # #555 is 7:1 on white
ACCENT = "#0072B2"  # the dashboard's first series colour (theme.OKABE_ITO[0])
# Characters XML 1.0 cannot hold: python-docx refuses them and ReportLab draws garbage, so pasted text loses them.
XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
BOLD = re.compile(r"\*\*(.+?)\*\*")
# A shown number: "1 234", "<5", "45 %", "12,5 %", "+3", "40–45 %"; and the symbols a hidden or missing cell shows.
NUMBER = r"[<>≤≥~]?\s?[+\-−]?\d[\d\s\u00a0\u202f]*(?:[,.]\d+)?"
NUMERIC = re.compile(rf"{NUMBER}(?:\s?[–-]\s?{NUMBER})?\s?%?")
SYMBOLS = {"x", "..", "…", "–", "—", "-", ".", ""}
HALF_YEAR = re.compile(r"(\d{4})H([12])")


def _t(key: str, lang: str, **params: Any) -> str:
    return t(f"report_document.{key}", lang, **params)


def _clean(text: str) -> str:
    return XML_ILLEGAL.sub("", text)


def _bold_parts(text: str) -> Iterator[tuple[str, bool]]:
    """ "a **b** c" -> ("a ", False), ("b", True), (" c", False): the one markup the staff may write."""
    for index, part in enumerate(BOLD.split(_clean(text))):
        if part:
            yield part, index % 2 == 1  # split() puts the captured (bold) text at odd places


def _period(doc: ReportDocument) -> str:
    """ "2025" as it is, "2025H1" as the dashboard's tables write a half-year ("H1/2025")."""
    half = HALF_YEAR.fullmatch(doc.period)
    return t("common.half_year", doc.lang, year=half[1], half=half[2]) if half else _clean(doc.period)


def _version_line(doc: ReportDocument) -> str:
    return _t("version_line", doc.lang, version=str(doc.version), date=format_date(doc.published, doc.lang))


def _heading(number: int, heading: str, lang: str) -> str:
    return _t("section_heading", lang, number=str(number), heading=_clean(heading))


def _caption(figure: ReportFigure, lang: str) -> str:
    return _t("figure_caption", lang, number=str(figure.number), title=_clean(figure.title))


def _grid(figure: ReportFigure) -> tuple[list[str], list[list[str]]]:
    """Header and rows padded to one width: both renderers need a rectangle, and no cell is dropped."""
    width = max([len(figure.columns), *(len(row) for row in figure.rows)])

    def pad(cells: list[str]) -> list[str]:
        return [_clean(str(cell)) for cell in cells] + [""] * (width - len(cells))

    return pad(figure.columns), [pad(row) for row in figure.rows]


def _numeric_columns(rows: list[list[str]], width: int) -> list[bool]:
    """Columns of numbers and hidden-cell symbols are right-aligned; the first column is the stub, always left.

    A column of symbols only ("x", "..") is a column of numbers that are not shown.
    """
    numeric = []
    for c in range(width):
        cells = [cell for row in rows if (cell := row[c].strip())]
        numeric.append(c > 0 and bool(cells) and all(cell in SYMBOLS or NUMERIC.fullmatch(cell) for cell in cells))
    return numeric


def _is_web_link(url: str) -> bool:
    """Only http(s) addresses become clickable: a link in a document must not run anything."""
    return url.startswith(("https://", "http://"))
