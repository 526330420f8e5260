"""The XLSX export: sheets Data, Notes, Sources, Citation, Filters; no cell can run as a formula."""

from __future__ import annotations

import io
from collections.abc import Sequence

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from dashboard.exports.tables import ExportTable
from etl.i18n import t
from etl.publish.dataset import FORMULA_TRIGGERS

PERCENT_FORMAT = '0" %"'  # the shown whole percent, not Excel's x100 percent format


def _text(sheet: Worksheet, row: int, column: int, value: str) -> None:
    """A string cell, always: openpyxl would store "=..." as a formula and "#..." as an error."""
    cell = sheet.cell(row=row, column=column)
    cell.value = ILLEGAL_CHARACTERS_RE.sub("", value)
    cell.data_type = "s"
    if value.startswith(FORMULA_TRIGGERS):
        cell.quotePrefix = True  # Excel keeps it text even when someone edits the cell


def _value(sheet: Worksheet, row: int, column: int, value: object, percent: bool) -> None:
    if value is None:
        return
    if isinstance(value, int | float) and not isinstance(value, bool):
        cell = sheet.cell(row=row, column=column, value=value)
        if percent:
            cell.number_format = PERCENT_FORMAT
        return
    _text(sheet, row, column, str(value))


def _rows(sheet: Worksheet, rows: Sequence[Sequence[str]], header: bool = False) -> None:
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            _text(sheet, r, c, value)
            if header and r == 1:
                sheet.cell(row=r, column=c).font = Font(bold=True)


def _data(sheet: Worksheet, table: ExportTable) -> None:
    columns = list(table.frame.columns)
    for c, name in enumerate(columns, start=1):
        _text(sheet, 1, c, str(name))
        sheet.cell(row=1, column=c).font = Font(bold=True)
        sheet.column_dimensions[sheet.cell(row=1, column=c).column_letter].width = max(10, min(40, len(str(name)) + 2))
    for r, row in enumerate(table.frame.itertuples(index=False), start=2):
        for c, (name, value) in enumerate(zip(columns, row, strict=True), start=1):
            _value(sheet, r, c, value, name in table.percent_columns)
    sheet.freeze_panes = "A2"


def to_xlsx(
    table: ExportTable,
    lang: str,
    notes: Sequence[str],
    sources: Sequence[tuple[str, str]],
    citation: Sequence[tuple[str, str]],
    filters: Sequence[tuple[str, str]],
) -> bytes:
    """The workbook; every sheet's rows are (label, text) pairs but Data, which is the table itself."""
    book = Workbook()
    data = book.active
    assert data is not None
    data.title = t("exports.sheet.data", lang)
    _data(data, table)
    _rows(book.create_sheet(t("exports.sheet.notes", lang)), [[note] for note in notes])
    _rows(book.create_sheet(t("exports.sheet.sources", lang)), [list(pair) for pair in sources])
    _rows(book.create_sheet(t("exports.sheet.citation", lang)), [list(pair) for pair in citation])
    header = [t("exports.filter_name", lang), t("exports.filter_value", lang)]
    _rows(book.create_sheet(t("exports.sheet.filters", lang)), [header, *[list(p) for p in filters]], header=True)
    for sheet in book.worksheets[1:]:
        sheet.column_dimensions["A"].width = 28
        sheet.column_dimensions["B"].width = 100
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
