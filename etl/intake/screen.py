"""Screening: refuse dangerous files and person-level data before anything of a file is used.

Two entry points for the load path (DATA-CONTRACT section 7):

- `screen_bytes(data, settings) -> list[Problem]`, before parsing: empty or oversized
  files; files that are not a CSV or an XLSX by content (programs, PDFs, old Office
  files); encrypted workbooks; macros; links to other files; ZIP bombs (inflation
  ratio, number of parts, uncompressed size); XML entity tricks (a DTD in any XML
  part). For a long-format workbook it also looks for personal data in the sheets
  that `read_tables` leaves out.
- `screen_tables(tables) -> list[Problem]`, after `read_tables`: checksum-valid
  Finnish personal identity codes, e-mail addresses and phone numbers in any cell or
  header; headers that name people; rows that look like records of individuals;
  spreadsheet-formula text.

`read_tables(data, settings) -> list[Table]` is the one way in for a file: the
byte-level part alone (`content_problems`) first, then the reader for its kind
(`etl.intake.readers`, `etl.intake.csv_reader`), so it is safe on any bytes.

A problem whose code is in `PERSONAL_DATA_CODES` means person-level data was found:
the load path keeps only the file's hash and the finding, never the bytes
(`has_personal_data(problems)`). No problem echoes personal data: `value` is None and
a column whose header itself holds a finding is named by its letter (A, B, ...).

A filled template's tables (etl.intake.filled_template) carry each cell's place in `_row` and
`_column`: screening skips those columns and reports findings at that place.

Speed: cells are screened per column on the column's unique values (a dimension
column of a million rows has a few dozen), so a million-row file takes well under
a second when it is clean.

The container checks live in `etl.intake.containers`, the person-level detectors in
`etl.intake.detectors`; this module runs them in order.
"""

from __future__ import annotations

import pandas as pd

from etl.config import Settings, get_settings
from etl.intake.containers import zip_problems
from etl.intake.csv_reader import read_csv
from etl.intake.detectors import (
    EMAIL,
    IDENTITY_CODE,
    LOCATION_COLUMNS,
    PERSON_HEADER,
    PERSON_ROWS,
    PHONE,
    cell_findings,
    is_personal_header,
    person_level_finding,
)
from etl.intake.problems import Problem, RejectedError, errors
from etl.intake.readers import other_sheets, read_xlsx
from etl.intake.sniff import UTF8_BOM, ZIP_MAGIC, Table, is_text, sniff_kind

PERSONAL_DATA_CODES = frozenset({IDENTITY_CODE, EMAIL, PHONE, PERSON_HEADER, PERSON_ROWS})

MAX_PER_COLUMN = 20  # occurrences reported per column and table; the file is refused either way
MAX_PER_TABLE = 200

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Compound File: old .xls, encrypted .xlsx
EXECUTABLE_MAGIC = (b"MZ", b"\x7fELF", b"\xca\xfe\xba\xbe", b"\xcf\xfa\xed\xfe", b"\xce\xfa\xed\xfe", b"\0asm")
ENCRYPTED_STREAMS = ("EncryptedPackage".encode("utf-16-le"), "EncryptionInfo".encode("utf-16-le"))
_COUNT = "(?:0|[1-9][0-9]{0,2}(?:[ \u00a0\u202f]?[0-9]{3})*)?"  # RE2 and Python re alike


def has_personal_data(problems: list[Problem]) -> bool:
    """True when screening found person-level data: keep no bytes of such a file."""
    return any(p.code in PERSONAL_DATA_CODES for p in problems)


# ---------------------------------------------------------------------------
# Bytes


def content_problems(data: bytes, settings: Settings) -> list[Problem]:
    """The byte-level checks: emptiness, size, kind by content, and a workbook's container."""
    body = data[len(UTF8_BOM) :] if data.startswith(UTF8_BOM) else data
    if not body[:4096].strip(b" \t\r\n\x1a") and not body.strip(b" \t\r\n\x1a"):
        return [Problem("empty_file")]
    if len(data) > settings.max_upload_bytes:
        size_mb = round(len(data) / (1024 * 1024), 1)
        return [Problem("file_too_large", params={"size_mb": size_mb, "limit_mb": settings.max_upload_mb})]
    if data.startswith(OLE_MAGIC):
        encrypted = any(marker in data for marker in ENCRYPTED_STREAMS)
        return [Problem("encrypted_workbook" if encrypted else "legacy_office_file")]
    if data.startswith(ZIP_MAGIC):
        return zip_problems(data, settings)
    sample = data[:65536]
    if data.startswith(EXECUTABLE_MAGIC) and (b"\0" in sample or not is_text(sample)):
        return [Problem("executable_file")]
    if not is_text(sample):
        return [Problem("not_a_table")]
    return []


def screen_bytes(data: bytes, settings: Settings) -> list[Problem]:
    """Everything that can be judged before parsing, plus personal data in sheets read_tables skips."""
    problems = content_problems(data, settings)
    if errors(problems) or sniff_kind(data) != "xlsx":
        return problems
    try:
        sheets = other_sheets(data)
    except RejectedError as rejected:
        return problems + rejected.problems
    for table in sheets:
        problems += _screen_cells(table, personal_only=True)
    return problems


# ---------------------------------------------------------------------------
# Tables


def column_letter(position: int) -> str:
    """Spreadsheet letters for a 0-based column position: 0 -> A, 26 -> AA."""
    letters = ""
    position += 1
    while position:
        position, rest = divmod(position - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _screen_cells(table: Table, personal_only: bool = False) -> list[Problem]:
    """Findings in headers and cells, one problem per cell and kind, located but never echoed."""
    problems: list[Problem] = []
    header_row = table.first_row - 1
    for position, header in enumerate(table.frame.columns):
        text = "" if header is None else str(header)
        if text in LOCATION_COLUMNS:
            continue
        header_findings = cell_findings(text, personal_only)
        named = not personal_only and is_personal_header(text)
        column = column_letter(position) if header_findings or not text.strip() else text.strip()
        for code, params in header_findings:
            problems.append(Problem(code, sheet=table.sheet, row=header_row, column=column, params=params))
        if named:
            problems.append(Problem(PERSON_HEADER, sheet=table.sheet, row=header_row, column=column, value=text))
        problems += _column_findings(table, position, column, personal_only)
    return problems


def _column_findings(table: Table, position: int, column: str, personal_only: bool) -> list[Problem]:
    cells = table.frame.iloc[:, position]
    unique = pd.Series(cells.unique(), dtype="str")
    # Counts (digits, not led by a zero, maybe grouped by thousands) can be nothing else: skip them at once.
    suspect = unique[~unique.str.fullmatch(_COUNT)]
    by_value = {}
    for value in suspect:
        findings = cell_findings(value, personal_only) if isinstance(value, str) else ()
        if findings:
            by_value[value] = findings
    if not by_value:
        return []
    hits = cells[cells.isin(list(by_value))].iloc[:MAX_PER_COLUMN]
    return [
        Problem(code, sheet=table.sheet, row=row, column=place, params=params)
        for label, value in hits.items()
        for row, place in [_place(table, label, column)]
        for code, params in by_value[value]
    ]


def _place(table: Table, label: object, column: str) -> tuple[int, str]:
    """The row and column a person finds a cell at (a template's cells say where they came from)."""
    frame = table.frame
    if all(name in frame.columns for name in LOCATION_COLUMNS):
        row, letters = frame.at[label, "_row"], frame.at[label, "_column"]
        if str(row).isdigit() and letters:
            return int(row), str(letters)
    return table.first_row + int(str(label)), column


def screen_table(table: Table) -> list[Problem]:
    problems = _screen_cells(table)
    person_level = person_level_finding(table)
    if person_level is not None:
        problems.append(person_level)
    return problems[:MAX_PER_TABLE]


def screen_tables(tables: list[Table]) -> list[Problem]:
    """Person-level data and formula text in the tables read from a file."""
    problems: list[Problem] = []
    for table in tables:
        problems += screen_table(table)
    return problems


def read_tables(data: bytes, settings: Settings | None = None) -> list[Table]:
    """The tables in a member's file, whatever its name; RejectedError when it cannot be read.

    The byte-level checks of screening (size, kind, macros, bombs, entity tricks)
    run first, so this is safe to call on any bytes.
    """
    settings = settings or get_settings()
    problems = errors(content_problems(data, settings))
    if problems:
        raise RejectedError(problems)
    if sniff_kind(data) == "xlsx":
        return read_xlsx(data, settings)
    return [read_csv(data, settings)]
