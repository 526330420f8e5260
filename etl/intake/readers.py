"""Read a member's file into tables of text cells. Content decides the format, never the file name.

Interface (`etl.intake.screen.read_tables` calls these after the byte-level checks):

- `read_xlsx(data, settings) -> list[Table]` here, `read_csv(data, settings) -> Table` in
  `etl.intake.csv_reader`: one Table for a CSV file, one per long-format sheet of an XLSX
  workbook, or the filled member template's tables (a workbook with a sheet named `_codes`
  is handed to `etl.intake.filled_template.read_template`). Raise
  `RejectedError([Problem, ...])` when the bytes cannot be read as a table.
- `other_sheets(data) -> list[Table]`: the sheets of a long-format workbook that
  `read_xlsx` does not return, so that screening can look for personal data there too.

What kind of file it is (`sniff_kind`) and the Table itself live in `etl.intake.sniff`.

A Table's frame holds every cell as text ('' when empty) under the headers as
written. Row numbers stay true: the file row of a frame row is
`table.first_row + index label`; empty rows are dropped but their labels are not reused.

CSV (`etl.intake.csv_reader`): UTF-8 (with or without BOM) or Windows-1252, decoded in
Python; the delimiter (`;`, `,` or tab) is read from the header line; CRLF or LF. Thousands
separators are left in the text for validation. The body is parsed by pyarrow
(about a second for a million rows); only a file pyarrow finds malformed is read
again with the csv module, to say exactly which rows are wrong.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Iterable, Iterator
from datetime import date, datetime, time
from typing import TYPE_CHECKING, Any

import pandas as pd

from etl.config import Settings, get_settings
from etl.errors import TilannekuvaError
from etl.intake.filled_template import read_template
from etl.intake.problems import RejectedError, rejected
from etl.intake.sniff import Table, sniff_kind

if TYPE_CHECKING:
    from openpyxl.workbook.workbook import Workbook

log = logging.getLogger(__name__)

TEMPLATE_CODES_SHEET = "_codes"
# A sheet is a long-format table when its header row names at least two of these.
LONG_MARKERS = frozenset({"organisation", "period", "measure", "value"})
HEADER_SEARCH_ROWS = 10  # a title or a note may stand above a workbook's header row


# ---------------------------------------------------------------------------
# XLSX


def cell_text(value: object) -> str:
    """A workbook cell as the text a person would read in it; a formula as its formula text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(sep=" ")
    if isinstance(value, date | time):
        return value.isoformat()
    formula = getattr(value, "text", None)  # openpyxl's ArrayFormula keeps its formula in .text
    return formula if isinstance(formula, str) else str(value)


def _is_long_header(cells: list[str]) -> bool:
    return len({c.strip().lower() for c in cells} & LONG_MARKERS) >= 2


def _sheet_rows(worksheet: Any) -> Iterator[tuple[int, list[str]]]:
    for number, values in enumerate(worksheet.iter_rows(values_only=True), start=1):
        cells = [cell_text(v) for v in values]
        if any(c.strip() for c in cells):
            yield number, cells


def _sheet_table(name: str, rows: Iterable[tuple[int, list[str]]], header_at: int, header: list[str]) -> Table:
    """A Table from the rows below the header row (index label = sheet row - first row)."""
    first_row = header_at + 1
    labels, records = [], []
    width = len(header)
    for number, cells in rows:
        width = max(width, len(cells))
        labels.append(number - first_row)
        records.append(cells)
    used = max([len(header), *(max((i + 1 for i, c in enumerate(r) if c.strip()), default=0) for r in records)])
    width = min(width, used)
    header = (header + [""] * width)[:width]
    body = [(r + [""] * width)[:width] for r in records]
    frame = pd.DataFrame(body, index=pd.Index(labels, dtype="int64"), columns=range(width), dtype="str")
    frame.columns = pd.Index(header, dtype=object)
    return Table(frame=frame, sheet=name, first_row=first_row)


def _read_sheet(worksheet: Any) -> tuple[Table | None, bool]:
    """The sheet as a Table from its header row, and whether that header is the long format's.

    The header is the first non-empty row that names long-format columns within the
    first few non-empty rows, else the first non-empty row. None for an empty sheet.
    """
    rows = _sheet_rows(worksheet)
    seen: list[tuple[int, list[str]]] = []
    for number, cells in rows:
        if _is_long_header(cells):
            return _sheet_table(worksheet.title, rows, number, _trim(cells)), True
        seen.append((number, cells))
        if len(seen) >= HEADER_SEARCH_ROWS:
            break
    if not seen:
        return None, False
    (number, cells), rest = seen[0], seen[1:]
    return _sheet_table(worksheet.title, [*rest, *rows], number, _trim(cells)), False


def _trim(cells: list[str]) -> list[str]:
    while cells and not cells[-1].strip():
        cells = cells[:-1]
    return cells


def open_workbook(data: bytes) -> Workbook:
    """The workbook read-only, formulas kept as formulas (defusedxml refuses entity tricks)."""
    import openpyxl

    return openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False, keep_links=False)


def workbook_tables(workbook: Workbook) -> tuple[list[Table], list[Table]]:
    """Every worksheet as a Table: the long-format ones, and the others.

    When no sheet has the long header, the first non-empty sheet counts as the
    long-format one, so that validation can say which columns are missing.
    """
    long: list[Table] = []
    other: list[Table] = []
    for worksheet in workbook.worksheets:
        table, is_long = _read_sheet(worksheet)
        if table is not None:
            (long if is_long else other).append(table)
    if not long and other:
        long.append(other.pop(0))
    return long, other


def _workbook_failure(exc: BaseException) -> RejectedError:
    """The problem for a workbook openpyxl could not read (it wraps defusedxml's refusals)."""
    from defusedxml.common import DefusedXmlException

    chain: list[BaseException] = [exc]
    while len(chain) < 20 and (chain[-1].__cause__ or chain[-1].__context__) is not None:
        chain.append(chain[-1].__cause__ or chain[-1].__context__)  # type: ignore[arg-type]
    if any(isinstance(cause, DefusedXmlException) for cause in chain):
        return rejected("xml_entities")
    log.warning("unreadable workbook: %s", type(exc).__name__, exc_info=exc)
    return rejected("unreadable_workbook")


def read_xlsx(data: bytes, settings: Settings | None = None) -> list[Table]:
    """The long-format sheets of a workbook, or the tables of a filled member template."""
    settings = settings or get_settings()
    try:
        workbook = open_workbook(data)
    except TilannekuvaError:
        raise
    except Exception as exc:  # a corrupt file can fail anywhere in zipfile or XML parsing
        raise _workbook_failure(exc) from None
    try:
        if TEMPLATE_CODES_SHEET in workbook.sheetnames:
            return list(read_template(workbook))
        tables, _other = workbook_tables(workbook)
    except TilannekuvaError:
        raise
    except Exception as exc:
        raise _workbook_failure(exc) from None
    finally:
        workbook.close()
    if not tables:
        raise rejected("empty_file")
    rows = sum(len(t.frame) for t in tables)
    if rows > settings.max_rows:
        raise rejected("too_many_rows", params={"limit": settings.max_rows})
    return tables


def other_sheets(data: bytes) -> list[Table]:
    """Sheets of a long-format workbook that read_tables leaves out ([] for a template or a CSV)."""
    if sniff_kind(data) != "xlsx":
        return []
    try:
        workbook = open_workbook(data)
    except Exception as exc:
        raise _workbook_failure(exc) from None
    try:
        if TEMPLATE_CODES_SHEET in workbook.sheetnames:
            return []
        return workbook_tables(workbook)[1]
    except TilannekuvaError:
        raise
    except Exception as exc:
        raise _workbook_failure(exc) from None
    finally:
        workbook.close()
