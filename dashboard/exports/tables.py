"""The displayed, protected table as CSV, Finnish-Excel CSV and XLSX, safe in every spreadsheet.

The export holds exactly what the page shows (FigureSpec.table, or FigureSpec.numbers: the
chart's whole breakdown with its total): numbers become
numbers again (the display text "1 234" is 1234), a hidden cell keeps its display
text ("<5", "x") and gets its flag letter in a flag column beside it. Text never
runs as a formula: in CSV a text cell starting with = + - @, tab or CR gets a
leading apostrophe (OWASP CSV injection guidance); in XLSX text cells are written
as strings (openpyxl would otherwise write "=..." as a live formula).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from dashboard.presenting.figure_spec import FigureSpec
from etl import disclosure
from etl.i18n import t
from etl.publish.dataset import neutralise

_SPACES = str.maketrans("", "", " \u00a0\u202f\u2009")
_NUMBER = re.compile(r"^-?\d+(?:,\d+)?$")
_SMALL = re.compile(r"^<\s*\d+$")


@dataclass
class ExportTable:
    """Cells are int, float, str or None; `value_columns` hold numbers (or a hidden cell's text)."""

    frame: pd.DataFrame
    value_columns: list[str] = field(default_factory=list)
    flag_columns: dict[str, str] = field(default_factory=dict)  # value column -> its flag column
    percent_columns: set[str] = field(default_factory=set)

    @property
    def flags(self) -> set[str]:
        letters: set[str] = set()
        for column in self.flag_columns.values():
            letters.update("".join(str(v) for v in self.frame[column] if v))
        return letters

    @property
    def hidden(self) -> bool:
        return bool(self.flags & {disclosure.FLAG_SMALL, disclosure.FLAG_SECONDARY})


def parse_number(text: str) -> int | float | None:
    """The number a display text stands for ("1 234" -> 1234, "12,5 %" -> 12.5, "−3" -> -3), else None."""
    compact = text.strip().translate(_SPACES).replace("\u2212", "-").removesuffix("%")
    if not _NUMBER.match(compact):
        return None
    if "," in compact:
        return float(compact.replace(",", "."))
    return int(compact)


def _marker_flag(text: str) -> str | None:
    """The flag a protection marker stands for, or None when the text is not a marker."""
    if _SMALL.match(text.strip()):
        return disclosure.FLAG_SMALL
    if text.strip() == disclosure.SECONDARY_TEXT:
        return disclosure.FLAG_SECONDARY
    return None


def _is_missing(value: object) -> bool:
    return value is None or (not isinstance(value, str) and bool(pd.isna(value)))


def _value_column(cells: Sequence[object], lang: str) -> tuple[list[object], list[str], bool] | None:
    """(cells, derived flags, is percent) when every cell is a number, a marker or "not available"."""
    not_available = t("common.not_available", lang)
    values: list[object] = []
    flags: list[str] = []
    percent = False
    for cell in cells:
        if _is_missing(cell):
            values.append(None)
            flags.append("")
        elif isinstance(cell, int | float) and not isinstance(cell, bool):
            values.append(cell)
            flags.append("")
        elif isinstance(cell, str) and (number := parse_number(cell)) is not None:
            values.append(number)
            flags.append("")
            percent = percent or cell.strip().endswith("%")
        elif isinstance(cell, str) and ((flag := _marker_flag(cell)) or cell.strip() == not_available):
            values.append(cell)
            flags.append(flag or "")
        else:
            return None
    if not any(v is not None and not (isinstance(v, str) and v.strip() == not_available) for v in values):
        return None  # nothing but gaps: keep the column as text
    return values, flags, percent


def _plain(value: object) -> object:
    if _is_missing(value):
        return None
    if hasattr(value, "item"):  # numpy scalars
        value = value.item()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value if isinstance(value, int | float | str) else str(value)


def export_table(spec: FigureSpec, shown: pd.DataFrame | None = None) -> ExportTable:
    """The spec's displayed table (or `shown`, a table of the same kind: FigureSpec.numbers) with numbers
    as numbers and a flag column beside each flagged column."""
    shown = spec.table if shown is None else shown
    flags_given = spec.flags if spec.flags is not None and shown is spec.table else pd.DataFrame(index=shown.index)
    out: dict[str, list[Any]] = {}
    table = ExportTable(pd.DataFrame())
    for column in shown.columns:
        cells = [_plain(v) for v in shown[column]]
        parsed = _value_column(cells, spec.lang)
        if parsed is None:
            out[column] = ["" if v is None else str(v) for v in cells]  # text, as shown
            continue
        values, derived, percent = parsed
        out[column] = values
        table.value_columns.append(column)
        if percent:
            table.percent_columns.add(column)
        if column in flags_given.columns:
            given = ["" if _is_missing(f) else str(f) for f in flags_given[column]]
            derived = [g + "".join(x for x in d if x not in g) for g, d in zip(given, derived, strict=True)]
        if any(derived):
            flag_column = t("exports.flag_column", spec.lang, column=column)
            out[flag_column] = derived
            table.flag_columns[column] = flag_column
    table.frame = pd.DataFrame(out, dtype=object)
    return table


def _csv_cell(value: object, decimal: str) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return neutralise(str(value))
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value).replace(".", decimal)
    return neutralise(str(value))


def _csv(table: ExportTable, delimiter: str, decimal: str) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow([neutralise(str(c)) for c in table.frame.columns])
    for row in table.frame.itertuples(index=False):
        writer.writerow([_csv_cell(v, decimal) for v in row])
    return buffer.getvalue()


def to_csv(table: ExportTable) -> bytes:
    """UTF-8, comma-separated, decimal point: for scripts and most software."""
    return _csv(table, ",", ".").encode("utf-8")


def to_excel_csv(table: ExportTable) -> bytes:
    """What Finnish Excel opens with a double click: semicolons, decimal comma, UTF-8 with BOM."""
    return ("\ufeff" + _csv(table, ";", ",")).encode("utf-8")
