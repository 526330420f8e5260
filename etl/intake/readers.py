"""Read a member's file into tables of text cells. Content decides the format, never the file name.

Interface (`etl.intake.screen.read_tables` calls these after the byte-level checks):

- `read_csv(data, settings) -> Table`, `read_xlsx(data, settings) -> list[Table]`: one
  Table for a CSV file, one per long-format sheet of an XLSX workbook, or the filled
  member template's tables (a workbook with a sheet named `_codes` is handed to
  `etl.intake.filled_template.read_template`). Raise `RejectedError([Problem, ...])` when the
  bytes cannot be read as a table.
- `other_sheets(data) -> list[Table]`: the sheets of a long-format workbook that
  `read_xlsx` does not return, so that screening can look for personal data there too.

What kind of file it is (`sniff_kind`) and the Table itself live in `etl.intake.sniff`.

A Table's frame holds every cell as text ('' when empty) under the headers as
written. Row numbers stay true: the file row of a frame row is
`table.first_row + index label`; empty rows are dropped but their labels are not reused.

CSV: UTF-8 (with or without BOM) or Windows-1252, decoded here in Python; the
delimiter (`;`, `,` or tab) is read from the header line; CRLF or LF. Thousands
separators are left in the text for validation. The body is parsed by pyarrow
(about a second for a million rows); only a file pyarrow finds malformed is read
again with the csv module, to say exactly which rows are wrong.
"""

from __future__ import annotations

import csv
import io
import logging
import re
from collections.abc import Iterable, Iterator
from datetime import date, datetime, time
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pa_csv

from etl.config import Settings, get_settings
from etl.errors import TilannekuvaError
from etl.intake.filled_template import read_template
from etl.intake.problems import Problem, RejectedError
from etl.intake.sniff import (
    SAMPLE_BYTES,
    UTF8_BOM,
    UTF32_BOMS,
    Table,
    looks_like_utf16,
    sniff_kind,
)

if TYPE_CHECKING:
    from openpyxl.workbook.workbook import Workbook

log = logging.getLogger(__name__)

TEMPLATE_CODES_SHEET = "_codes"
# A sheet is a long-format table when its header row names at least two of these.
LONG_MARKERS = frozenset({"organisation", "period", "measure", "value"})
HEADER_SEARCH_ROWS = 10  # a title or a note may stand above a workbook's header row
DELIMITERS = (";", "\t", ",")  # in order of preference when the header line has as many of each
MAX_ROW_PROBLEMS = 100

_IS_CONTROL = np.zeros(256, dtype=bool)
_IS_CONTROL[[*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x1A), *range(0x1B, 0x20), 0x7F]] = True
# UTF-8 bytes of the letters a Finnish or Swedish file has (å ä ö Å Ä Ö é ü Ü, no-break spaces):
# found in a file that is not valid UTF-8, they mean two encodings are mixed in one file.
_UTF8_NORDIC = re.compile(rb"\xc3[\x84\x85\x96\xa4\xa5\xb6\x89\xa9\x9c\xbc]|\xc2\xa0|\xe2\x80\xaf")
# UTF-8 read as Windows-1252 ("PakkotyÃ¶"): text garbled before it reached us.
_CP1252_HIGH = bytes(range(0x80, 0xC0)).decode("cp1252", errors="ignore")
_MOJIBAKE = re.compile("Ã[" + re.escape(_CP1252_HIGH) + "]|â€|Â[\u00a0-\u00bf]")
_LINE_END = re.compile(r"\r\n|\n|\r")
_NOT_SPACE = re.compile(rb"[^ \t\r\n\x1a]")
_SEP_HINT = re.compile(r"^sep=(.)$", re.IGNORECASE)  # Excel's own first-line delimiter hint


def _rejected(code: str, **fields: Any) -> RejectedError:
    return RejectedError([Problem(code, **fields)])


# ---------------------------------------------------------------------------
# CSV


def decode_text(data: bytes) -> tuple[str, str]:
    """The text of a CSV file and the encoding it was in; a RejectedError when it is not UTF-8 or cp1252."""
    if looks_like_utf16(data[:SAMPLE_BYTES]):
        name = "UTF-32" if data.startswith(UTF32_BOMS) else "UTF-16"
        raise _rejected("unsupported_encoding", params={"encoding": name})
    if data.startswith(UTF8_BOM):
        encoding, body = "UTF-8-BOM", data[len(UTF8_BOM) :]
    else:
        encoding, body = "UTF-8", data
    if _IS_CONTROL[np.frombuffer(body, dtype=np.uint8)].any():
        raise _rejected("not_a_table")
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        if _UTF8_NORDIC.search(body):
            raise _rejected("mixed_encoding") from None
        try:
            text, encoding = body.decode("cp1252"), "Windows-1252"
        except UnicodeDecodeError:
            raise _rejected("unsupported_encoding", params={"encoding": "?"}) from None
    if not text.isascii():
        garbled = _MOJIBAKE.search(text)
        if garbled:
            row = len(_LINE_END.findall(text, 0, garbled.start())) + 1
            raise _rejected("garbled_text", row=row)
    return text, encoding


def _lines(text: str) -> Iterator[tuple[int, int, str]]:
    """(line number, offset after the line end, line) for the first lines of a text."""
    start, number = 0, 1
    for match in _LINE_END.finditer(text):
        yield number, match.end(), text[start : match.start()]
        start, number = match.end(), number + 1
    if start < len(text):
        yield number, len(text), text[start:]


def _count_outside_quotes(line: str, char: str) -> int:
    return re.sub(r'"[^"]*"', "", line).count(char)


def detect_delimiter(header_line: str) -> str:
    """The delimiter the header line uses most (`;` before tab before `,` when as many)."""
    counts = {d: _count_outside_quotes(header_line, d) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ";"


def _header(text: str) -> tuple[list[str], str, int, int]:
    """Header cells, delimiter, the header's line number, and the offset where the body starts.

    Leading empty lines are skipped; Excel's `sep=;` hint line is honoured.
    """
    delimiter = None
    for number, end, line in _lines(text):
        if not line.strip():
            continue
        hint = _SEP_HINT.match(line.strip())
        if hint and delimiter is None:
            delimiter = hint.group(1)
            continue
        delimiter = delimiter or detect_delimiter(line)
        cells = next(csv.reader([line], delimiter=delimiter), [])
        return cells, delimiter, number, end
    return [], delimiter or ";", 1, len(text)


def _fast_body(body: memoryview | bytes, width: int, delimiter: str) -> pd.DataFrame | None:
    """The body parsed by pyarrow, or None when some row does not fit (the slow path explains)."""
    names = [f"c{i}" for i in range(width)]
    bad: list[int] = []

    def on_bad_row(row: Any) -> str:
        bad.append(1)
        return "skip"

    try:
        parsed = pa_csv.read_csv(
            pa.BufferReader(pa.py_buffer(body)),
            read_options=pa_csv.ReadOptions(column_names=names),
            parse_options=pa_csv.ParseOptions(
                delimiter=delimiter,
                newlines_in_values=True,
                ignore_empty_lines=False,
                invalid_row_handler=on_bad_row,
            ),
            convert_options=pa_csv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.large_string()),
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except (pa.ArrowInvalid, pa.ArrowTypeError, ValueError):
        return None
    if bad:
        return None
    return parsed.to_pandas()


def _slow_body(body: str, width: int, delimiter: str, first_row: int) -> pd.DataFrame:
    """Parse with the csv module, row by row; reject every row whose field count differs from the header."""
    records: list[list[str]] = []
    problems: list[Problem] = []
    for offset, record in enumerate(csv.reader(io.StringIO(body, newline=""), delimiter=delimiter)):
        misfit = record and len(record) != width and any(cell.strip() for cell in record)
        if misfit and len(problems) < MAX_ROW_PROBLEMS:
            problems.append(
                Problem("wrong_field_count", row=first_row + offset, params={"expected": width, "found": len(record)})
            )
        records.append(record if len(record) == width else [""] * width)
    if problems:
        raise RejectedError(problems)
    return pd.DataFrame(records, columns=[f"c{i}" for i in range(width)], dtype="str")


def _drop_empty_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows with no text at all (blank lines, `;;;;`) go; the others keep their labels (= row offsets)."""
    if frame.empty:
        return frame
    first_empty = frame.iloc[:, 0].str.strip() == ""
    if not first_empty.any():
        return frame
    empty = first_empty.copy()
    for name in frame.columns[1:]:
        empty &= frame[name].str.strip() == ""
    return frame[~empty]


def read_csv(data: bytes, settings: Settings | None = None) -> Table:
    """One CSV file as a Table (a RejectedError when it cannot be read)."""
    settings = settings or get_settings()
    if data.count(b"\n") > settings.max_rows + 2:
        raise _rejected("too_many_rows", params={"limit": settings.max_rows})
    text, encoding = decode_text(data)
    headers, delimiter, header_line, body_start = _header(text)
    if not headers:
        raise _rejected("empty_file")
    first_row = header_line + 1
    width = len(headers)
    if encoding.startswith("UTF-8"):  # hand pyarrow the file's own bytes: no copy of a large body
        offset = (len(UTF8_BOM) if encoding == "UTF-8-BOM" else 0) + len(text[:body_start].encode("utf-8"))
        body_bytes: memoryview | bytes = memoryview(data)[offset:]
    else:
        body_bytes = text[body_start:].encode("utf-8")
    if _NOT_SPACE.search(body_bytes) is None:
        frame = pd.DataFrame({f"c{i}": pd.Series([], dtype="str") for i in range(width)})
    else:
        fast = _fast_body(body_bytes, width, delimiter)
        frame = fast if fast is not None else _slow_body(text[body_start:], width, delimiter, first_row)
    if len(frame) > settings.max_rows:  # line breaks other than LF escape the count above
        raise _rejected("too_many_rows", params={"limit": settings.max_rows})
    frame = _drop_empty_rows(frame)  # before the headers are set: they may repeat
    frame.columns = pd.Index(headers, dtype=object)
    return Table(frame=frame, sheet=None, first_row=first_row)


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
        return _rejected("xml_entities")
    log.warning("unreadable workbook: %s", type(exc).__name__, exc_info=exc)
    return _rejected("unreadable_workbook")


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
        raise _rejected("empty_file")
    rows = sum(len(t.frame) for t in tables)
    if rows > settings.max_rows:
        raise _rejected("too_many_rows", params={"limit": settings.max_rows})
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
