"""Scan exported outputs for raw person counts of 1 to 4 (DATA-CONTRACT 8.1).

A simple scanner shared by the export tests (and meant for the disclosure tests):
it looks where counts go in each output (table value columns, SDMX OBS_VALUE,
chart data, drafted sentences) and returns every small number it finds.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable

import openpyxl
import plotly.graph_objects as go

SMALL = range(1, 5)


def _number(cell: object) -> float | None:
    if isinstance(cell, bool) or cell is None:
        return None
    if isinstance(cell, int | float):
        return float(cell)
    text = str(cell).strip().replace("\u00a0", "").replace(" ", "").replace("\u2212", "-").replace(",", ".")
    try:
        return float(text)
    except ValueError:
        return None


def small_numbers(cells: Iterable[object]) -> list[object]:
    """Cells that are a number from 1 to 4 (text "<5" or "x" is not a number)."""
    return [cell for cell in cells if (n := _number(cell)) is not None and n in SMALL]


def scan_csv(data: bytes, columns: Iterable[str], delimiter: str = ",") -> list[object]:
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig")), delimiter=delimiter))
    return [cell for column in columns for cell in small_numbers(row[column] for row in rows)]


def scan_xlsx(data: bytes, columns: Iterable[str]) -> list[object]:
    sheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    header = list(rows[0])
    found: list[object] = []
    for column in columns:
        index = header.index(column)
        found += small_numbers(row[index] for row in rows[1:])
    return found


def scan_figure(figure: go.Figure) -> list[object]:
    """Values drawn (y, x of horizontal bars, text labels, hover data) in every trace."""
    found: list[object] = []
    for trace in figure.data:
        for name in ("y", "text", "customdata") + (("x",) if getattr(trace, "orientation", None) == "h" else ()):
            values = getattr(trace, name, None)
            if values is not None and not isinstance(values, str):
                found += small_numbers(values)
    return found


def scan_text(text: str, allowed: Iterable[str] = ()) -> list[str]:
    """Standalone numbers 1-4 in running text, after removing the `allowed` phrases (e.g. "data version 1")."""
    for phrase in allowed:
        text = text.replace(phrase, " ")
    return re.findall(r"(?<![<\d,.\-–])\b[1-4]\b(?![\d,.]\d)", text)
