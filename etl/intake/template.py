"""The workbook template members fill in (DATA-CONTRACT 6): its layout, and writing it.

`write_template` makes one workbook for one organisation and period: a cover
sheet, one sheet per group of tables, labels in the member's language, input
cells unlocked and validated (whole numbers >= 0), running sums and differences
beside the inputs (formulas, in our own cells only), everything else protected,
and a hidden `_codes` sheet that maps every input cell back to the long format
(measure, dim1, code1, dim2, code2).

Reading a filled one back is `etl.intake.filled_template.read_template`: it reads
only the input cells named in `_codes`, so whatever a formula or a member's note
elsewhere says never becomes data. A blank input cell is not sent; 0 is sent as 0.
Each row keeps its place (`_row`, `_column`), so problems point at the template
cell the member typed into.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from etl.codebook import TOTAL, UNKNOWN, Codebook, load_codebook
from etl.i18n import t
from etl.periods import parse_period

CODES_SHEET = "_codes"
STATUS_PREFIX = "status:"  # _codes key of a measure's status cell
FLAG_CODES = ("P", "E", "R")
TEMPLATE_VERSION = "1"
MAPPING_HEADER = ("sheet", "cell", "measure", "dim1", "code1", "dim2", "code2")
# Sheets in order: a group name, and which (measure, dim1, dim2) blocks it holds.
SHEET_GROUPS = ("new", "citizenship", "clients", "other")
INPUT_FILL = PatternFill("solid", fgColor="FFF4CC")
SUM_FILL = PatternFill("solid", fgColor="E8EEF4")
BOLD = Font(bold=True)
TITLE = Font(bold=True, size=13)
FIXED_TIME = datetime(2025, 1, 1)  # document properties: the same inputs give the same bytes


def _group_of(measure: str, dim1: str) -> str:
    if dim1 == "citizenship":
        return "citizenship"
    if measure == "PERS_NEW":
        return "new"
    if measure in ("PERS_ACTIVE", "PERS_STOCK_END"):
        return "clients"
    return "other"


@dataclass(frozen=True)
class InputCell:
    sheet: str
    cell: str
    measure: str
    dim1: str = TOTAL
    code1: str = TOTAL
    dim2: str = TOTAL
    code2: str = TOTAL


class SheetWriter:
    """Writes blocks down one sheet and remembers its input cells."""

    def __init__(self, sheet: Worksheet, lang: str, book: Codebook, inputs: list[InputCell]) -> None:
        self.sheet, self.lang, self.book, self.inputs = sheet, lang, book, inputs
        self.row = 4
        self.totals: dict[str, str] = {}  # measure -> its total input cell (this sheet's or another's)
        self.lab_cells: dict[str, str] = {}  # measure -> its exploitation_form LAB input cell
        self.status: dict[str, str] = {}  # measure -> its status cell (flag, or "not collected")
        self.choice = DataValidation(type="list", formula1=_status_list(lang), allow_blank=True)
        self.choice.showErrorMessage = True
        self.choice.error = t("template.status_error", lang)
        sheet.add_data_validation(self.choice)

    def label(self, dimension: str, code: str) -> str:
        return self.book.label(dimension, code, self.lang)

    def input(self, row: int, column: int, measure: str, *coords: str) -> str:
        cell = self.sheet.cell(row=row, column=column)
        cell.protection = Protection(locked=False)
        cell.fill = INPUT_FILL
        cell.number_format = "#,##0"
        ref = f"{get_column_letter(column)}{row}"
        self.inputs.append(InputCell(self.sheet.title, ref, measure, *coords))
        return ref

    def text(self, row: int, column: int, text: str, font: Font | None = None) -> None:
        cell = self.sheet.cell(row=row, column=column)
        cell.value = text
        cell.data_type = "s"  # never a formula, whatever the text begins with
        if font is not None:
            cell.font = font

    def formula(self, row: int, column: int, formula: str) -> None:
        cell = self.sheet.cell(row=row, column=column, value=formula)
        cell.fill = SUM_FILL
        cell.number_format = "#,##0"

    def measure_heading(self, measure: str) -> None:
        self.row += 1
        self.text(self.row, 1, self.book.measures[measure].label.get(self.lang), TITLE)
        self.text(self.row, 3, t("template.status", self.lang))
        status = self.sheet.cell(row=self.row, column=4)
        status.protection = Protection(locked=False)
        status.fill = INPUT_FILL
        self.choice.add(status.coordinate)
        self.status[measure] = f"'{self.sheet.title}'!{status.coordinate}"
        self.text(self.row + 1, 1, self.book.measures[measure].definition.get(self.lang))
        self.sheet.cell(row=self.row + 1, column=1).alignment = Alignment(wrap_text=True)
        self.row += 2

    def total(self, measure: str) -> None:
        self.text(self.row, 1, t("template.total", self.lang), BOLD)
        self.totals[measure] = self.input(self.row, 2, measure)
        self.row += 2

    def one_dimension(self, measure: str, dimension: str) -> None:
        multi = self.book.measures[measure].multi_response
        heading = t("template.by", self.lang, dimension=self.book.dimensions[dimension].label.get(self.lang))
        self.text(self.row, 1, heading, BOLD)
        self.row += 1
        first = self.row
        for code in self._codes(dimension):
            self.text(self.row, 1, self.label(dimension, code))
            ref = self.input(self.row, 2, measure, dimension, code)
            if dimension == "exploitation_form" and code == "LAB":
                self.lab_cells[measure] = ref
            self.row += 1
        last = self.row - 1
        self.text(self.row, 1, t("template.sum", self.lang))
        self.formula(self.row, 2, f"=SUM(B{first}:B{last})")
        target = self.lab_cells.get(measure) if dimension == "labour_sector" else self.totals.get(measure)
        if target and not multi:
            key = "template.difference_lab" if dimension == "labour_sector" else "template.difference"
            self.text(self.row, 3, t(key, self.lang))
            self.formula(self.row, 4, f'=IF(COUNT(B{first}:B{last})=0,"",SUM(B{first}:B{last})-{target})')
        elif multi:
            self.text(self.row, 3, t("template.multi_response", self.lang))
        self.row += 2

    def cross(self, measure: str, down: str, across: str) -> None:
        names = (self.book.dimensions[down].label.get(self.lang), self.book.dimensions[across].label.get(self.lang))
        self.text(self.row, 1, t("template.by_cross", self.lang, first=names[0], second=names[1]), BOLD)
        self.row += 1
        columns = self._codes(across)
        for j, code in enumerate(columns, start=2):
            self.text(self.row, j, self.label(across, code), BOLD)
            self.sheet.cell(row=self.row, column=j).alignment = Alignment(wrap_text=True)
        end = len(columns) + 2
        self.text(self.row, end, t("template.sum", self.lang), BOLD)
        self.row += 1
        first = self.row
        last_letter = get_column_letter(end - 1)
        for code in self._codes(down):
            self.text(self.row, 1, self.label(down, code))
            for j, other in enumerate(columns, start=2):
                self.input(self.row, j, measure, down, code, across, other)
            self.formula(self.row, end, f"=SUM(B{self.row}:{last_letter}{self.row})")
            self.row += 1
        last = self.row - 1
        self.text(self.row, 1, t("template.sum", self.lang))
        for j in range(2, end + 1):
            letter = get_column_letter(j)
            self.formula(self.row, j, f"=SUM({letter}{first}:{letter}{last})")
        total = self.totals.get(measure)
        if total:
            self.text(self.row + 1, 1, t("template.difference", self.lang))
            grand = f"{get_column_letter(end)}{self.row}"
            self.formula(self.row + 1, end, f'=IF(COUNT(B{first}:{last_letter}{last})=0,"",{grand}-{total})')
        self.row += 3

    def _codes(self, dimension: str) -> list[str]:
        codes = list(self.book.codes[dimension])
        if dimension != "citizenship":
            return codes
        countries = sorted((c for c in codes if c not in ("STLS", UNKNOWN)), key=lambda c: self.label(dimension, c))
        return [*countries, "STLS", UNKNOWN]


def _sheet_title(group: str, lang: str) -> str:
    return t(f"template.sheet_{group}", lang)[:31]


def _status_list(lang: str) -> str:
    """The choices of a measure's status cell: a flag, or "not collected" in the template's language."""
    return '"' + ",".join([*FLAG_CODES, t("template.not_collected", lang)]) + '"'


def _cover(book: Workbook, org: str, org_name: str, period: str, lang: str) -> None:
    """The first sheet: who, which period, and how to fill in."""
    sheet = book.active
    assert sheet is not None
    sheet.title = t("template.sheet_cover", lang)[:31]
    rows = [
        (t("template.title", lang), TITLE),
        (t("template.organisation", lang, name=org_name, code=org), None),
        (t("template.period", lang, period=period), None),
        ("", None),
        (t("template.instructions", lang), None),
        (t("template.zero_or_blank", lang), None),
        (t("template.status_help", lang, not_collected=t("template.not_collected", lang)), None),
        (t("template.no_person_data", lang), None),
    ]
    for i, (text, font) in enumerate(rows, start=1):
        cell = sheet.cell(row=i, column=1, value=text)
        cell.data_type = "s"
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if font:
            cell.font = font
    sheet.column_dimensions["A"].width = 90
    sheet.protection.sheet = True


def build_workbook(org: str, period: str, lang: str, org_name: str | None = None) -> Workbook:
    book = load_codebook()
    parsed = parse_period(period)
    if parsed is None:
        from etl.errors import InputError

        raise InputError("template.bad_period", period=period)
    workbook = Workbook()
    workbook.properties.created = workbook.properties.modified = FIXED_TIME
    _cover(workbook, org, org_name or org, parsed.code, lang)
    inputs: list[InputCell] = []
    status: dict[str, str] = {}
    totals: dict[str, str] = {}  # measure -> its total cell, named with its sheet
    for group in SHEET_GROUPS:
        sheet = workbook.create_sheet(_sheet_title(group, lang))
        writer = SheetWriter(sheet, lang, book, inputs)
        writer.totals = dict(totals)
        _header(writer, org_name or org, org, parsed.code, group)
        for measure in sorted(book.measures, key=lambda m: book.measures[m].sort):
            blocks = [(d1, d2) for d1, d2 in book.breakdowns[measure] if _group_of(measure, d1) == group]
            if not blocks:
                continue
            writer.measure_heading(measure)
            for d1, d2 in blocks:
                if d1 == TOTAL:
                    writer.total(measure)
                    totals[measure] = f"'{sheet.title}'!{writer.totals[measure]}"
                elif d2 == TOTAL:
                    writer.one_dimension(measure, d1)
                else:
                    writer.cross(measure, d1, d2)
        status.update(writer.status)
        _finish_sheet(sheet, lang, [i.cell for i in inputs if i.sheet == sheet.title])
    _codes_sheet(workbook, org, parsed.code, lang, status, inputs)
    workbook.security = WorkbookProtection(lockStructure=True)
    return workbook


def _header(writer: SheetWriter, name: str, org: str, period: str, group: str) -> None:
    writer.text(1, 1, t(f"template.sheet_{group}", writer.lang), TITLE)
    writer.text(2, 1, t("template.organisation", writer.lang, name=name, code=org))
    writer.text(3, 1, t("template.period", writer.lang, period=period))


def _finish_sheet(sheet: Worksheet, lang: str, cells: list[str]) -> None:
    whole = DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0", allow_blank=True)
    whole.showErrorMessage = True
    whole.errorTitle = t("template.input_error_title", lang)
    whole.error = t("template.input_error", lang)
    whole.showInputMessage = False
    sheet.add_data_validation(whole)
    for cell in cells:
        whole.add(cell)
    sheet.column_dimensions["A"].width = 55
    for column in range(2, 16):
        sheet.column_dimensions[get_column_letter(column)].width = 14
    sheet.freeze_panes = "B4"
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False  # members may widen columns


def _codes_sheet(
    workbook: Workbook, org: str, period: str, lang: str, status: dict[str, str], inputs: list[InputCell]
) -> None:
    sheet = workbook.create_sheet(CODES_SHEET)
    meta = [
        ("template_version", TEMPLATE_VERSION),
        ("organisation", org),
        ("period", period),
        ("lang", lang),
        *((f"{STATUS_PREFIX}{measure}", ref) for measure, ref in status.items()),
    ]
    for i, (key, value) in enumerate(meta, start=1):
        sheet.cell(row=i, column=1, value=key).data_type = "s"
        sheet.cell(row=i, column=2, value=value).data_type = "s"
    start = len(meta) + 2
    for j, name in enumerate(MAPPING_HEADER, start=1):
        sheet.cell(row=start, column=j, value=name)
    for i, cell in enumerate(inputs, start=start + 1):
        values = (cell.sheet, cell.cell, cell.measure, cell.dim1, cell.code1, cell.dim2, cell.code2)
        for j, value in enumerate(values, start=1):
            sheet.cell(row=i, column=j, value=value).data_type = "s"
    sheet.sheet_state = "hidden"
    sheet.protection.sheet = True


def write_template(org: str, period: str, lang: str, path: Path, org_name: str | None = None) -> Path:
    """Write the template workbook for one organisation and period in one language."""
    workbook = build_workbook(org, period, lang, org_name)
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)
    return path
