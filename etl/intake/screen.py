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
(`etl.intake.readers`), so it is safe on any bytes.

A problem whose code is in `PERSONAL_DATA_CODES` means person-level data was found:
the load path keeps only the file's hash and the finding, never the bytes
(`has_personal_data(problems)`). No problem echoes personal data: `value` is None and
a column whose header itself holds a finding is named by its letter (A, B, ...).

A filled template's tables (etl.intake.template) carry each cell's place in `_row` and
`_column`: screening skips those columns and reports findings at that place.

Speed: cells are screened per column on the column's unique values (a dimension
column of a million rows has a few dozen), so a million-row file takes well under
a second when it is clean.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date

import pandas as pd

from etl.config import Settings, get_settings
from etl.intake.problems import Problem, RejectedError, errors
from etl.intake.readers import other_sheets, read_csv, read_xlsx
from etl.intake.sniff import UTF8_BOM, ZIP_MAGIC, Table, is_text, sniff_kind

IDENTITY_CODE = "personal_identity_code"
EMAIL = "email_address"
PHONE = "phone_number"
PERSON_HEADER = "personal_header"
PERSON_ROWS = "person_level_rows"
FORMULA = "formula_text"
PERSONAL_DATA_CODES = frozenset({IDENTITY_CODE, EMAIL, PHONE, PERSON_HEADER, PERSON_ROWS})

MAX_ZIP_PARTS = 1000  # a workbook of a hundred sheets has a few hundred parts
MAX_UNCOMPRESSED_BYTES = 256 * 1024 * 1024
PROLOG_LIMIT = 1024 * 1024  # an XML part's declarations never need more
CHUNK = 16384
MAX_PER_COLUMN = 20  # occurrences reported per column and table; the file is refused either way
MAX_PER_TABLE = 200

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Compound File: old .xls, encrypted .xlsx
EXECUTABLE_MAGIC = (b"MZ", b"\x7fELF", b"\xca\xfe\xba\xbe", b"\xcf\xfa\xed\xfe", b"\xce\xfa\xed\xfe", b"\0asm")
ENCRYPTED_STREAMS = ("EncryptedPackage".encode("utf-16-le"), "EncryptionInfo".encode("utf-16-le"))
MACRO_PARTS = re.compile(r"vbaproject[^/]*\.bin$|/macrosheets/|/dialogsheets/|/activex/", re.IGNORECASE)
MACRO_TYPES = ("macroenabled", "vbaproject", "macrosheet", "activex", "dialogsheet")
EXTERNAL_PARTS = re.compile(r"^xl/(externallinks/|connections\.xml$|querytables/)", re.IGNORECASE)

# --- personal identity codes (henkilötunnus): DDMMYY, century sign, individual number, check character
CENTURIES = {"+": 1800, **dict.fromkeys("-YXWVU", 1900), **dict.fromkeys("ABCDEF", 2000)}
CHECK_CHARACTERS = "0123456789ABCDEFHJKLMNPRSTUVWXY"
_IDENTITY_CODE = re.compile(r"(?<![0-9A-Za-z])[0-9]{6}[-+A-FU-Ya-fu-y][0-9]{3}[0-9A-Ya-y](?![0-9A-Za-z])")
_IDENTITY_SHAPE = re.compile(r"[0-9]{6}-[0-9]{4}")
_EMAIL = re.compile(r"[\w.!#$%&'*+/=?^`{|}~-]+@[\w-]+(?:\.[\w-]+)*\.[^\W\d_]{2,}")
# A run of digits with the separators phone numbers are written with (never dots, commas or slashes,
# which dates, decimals and periods use). The digits are judged afterwards.
_PHONE_RUN = re.compile(r"(?<![\w+.,/])(?:\+|00)?\(?[0-9][0-9 \u00a0\u202f()\-]{5,24}[0-9](?![\w.,/])")
_HYPHEN_DATE = re.compile(r"\(?([0-9]{1,2})-([0-9]{1,2})-([0-9]{2}|[0-9]{4})")
_PLAIN_NUMBER = re.compile(r"[-+]?[0-9]+(?:[ \u00a0\u202f][0-9]{3})*(?:[.,][0-9]+)?")
FORMULA_SIGNS = "=+-@"
_COUNT = "(?:0|[1-9][0-9]{0,2}(?:[ \u00a0\u202f]?[0-9]{3})*)?"  # RE2 and Python re alike
# Headers that name people or hold their identifiers or contact details, in Finnish, Swedish and English.
_PERSON_HEADER = re.compile(
    r"nimi(?!ke)|name|namn|hetu|henkilötun|sosiaaliturvatun|\bsotu\b|personbeteckning|personnummer|\bssn\b"
    r"|social security|syntymä|födelse|birth|\bdob\b|e-?mail|sähköposti|\bs-?posti|\be-?post|osoite|address"
    r"|adress|puhelin|\bpuh\b|phone|telefon|\btel\b|\bgsm\b|mobil|matkapuh|asiakasnumero|asiakasnro"
    r"|asiakas id|client id|client number|klientnummer|passport|passinumero|passnummer"
)

# --- rows that look like records of individuals
CANONICAL_NON_DIMENSIONS = frozenset({"organisation", "period", "measure", "value", "flag"})
# A filled template's tables (etl.intake.template) carry each cell's place in the workbook in these columns.
LOCATION_COLUMNS = ("_row", "_column")
MIN_PERSON_ROWS = 20
ONES_SHARE = 0.8
PATTERN_SHARE = 0.5
IDENTIFIER_SHARE = 0.9


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


def _open_zip(data: bytes) -> zipfile.ZipFile | None:
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, NotImplementedError):
        return None


def zip_problems(data: bytes, settings: Settings) -> list[Problem]:
    """A workbook's container: size limits first (nothing is inflated before they pass), then its parts."""
    archive = _open_zip(data)
    if archive is None:
        return [Problem("unreadable_workbook")]
    with archive:
        parts = archive.infolist()
        problems = _bomb_problems(parts, len(data), settings)
        if problems:
            return problems
        if any(part.flag_bits & 0x1 for part in parts):
            return [Problem("encrypted_workbook")]
        names = [part.filename for part in parts]
        try:
            content_types = _small_part(archive, "[Content_Types].xml").lower()
        except (KeyError, OSError, zipfile.BadZipFile, EOFError, ValueError, NotImplementedError):
            content_types = ""
        if any(MACRO_PARTS.search(name) for name in names) or any(t in content_types for t in MACRO_TYPES):
            return [Problem("macro_workbook")]
        if not content_types or not any(name.lower().endswith("workbook.xml") for name in names):
            return [Problem("not_a_table")]
        for part in parts:
            verdict = _xml_part_verdict(archive, part)
            if verdict:
                return [Problem(verdict, value=part.filename)]
        if any(EXTERNAL_PARTS.search(name) for name in names):
            return [Problem("external_content")]
    return []


def _bomb_problems(parts: list[zipfile.ZipInfo], size: int, settings: Settings) -> list[Problem]:
    if len(parts) > MAX_ZIP_PARTS:
        return [Problem("zip_too_many_parts", params={"count": len(parts), "limit": MAX_ZIP_PARTS})]
    total = sum(part.file_size for part in parts)
    if total > MAX_UNCOMPRESSED_BYTES:
        return [
            Problem(
                "zip_too_large",
                params={
                    "size_mb": round(total / (1024 * 1024)),
                    "limit_mb": MAX_UNCOMPRESSED_BYTES // (1024 * 1024),
                },
            )
        ]
    ratio = total / max(size, 1)
    if ratio > settings.max_inflation_ratio:
        return [Problem("zip_inflation", params={"ratio": int(ratio), "limit": settings.max_inflation_ratio})]
    return []


def _small_part(archive: zipfile.ZipFile, name: str) -> str:
    info = archive.getinfo(name)
    if info.file_size > PROLOG_LIMIT:
        return ""
    with archive.open(info) as part:
        return part.read(PROLOG_LIMIT).decode("utf-8", errors="replace")


def _xml_encoding(head: bytes) -> str | None:
    """The encoding of an XML part from its first bytes; None when the part is not XML."""
    for prefix, encoding in (
        (b"\xff\xfe\x00\x00", "utf-32"),
        (b"\x00\x00\xfe\xff", "utf-32"),
        (b"\xff\xfe", "utf-16"),
        (b"\xfe\xff", "utf-16"),
        (b"<\x00\x00\x00", "utf-32-le"),
        (b"\x00\x00\x00<", "utf-32-be"),
        (b"<\x00", "utf-16-le"),
        (b"\x00<", "utf-16-be"),
    ):
        if head.startswith(prefix):
            return encoding
    text = head[3:] if head.startswith(UTF8_BOM) else head
    return "utf-8-sig" if text.lstrip().startswith(b"<") else None


def _prolog_verdict(text: str) -> str:
    """'dtd' when the prolog declares a document type, 'clean' at the root element, 'more' to read on."""
    i, n = 0, len(text)
    while True:
        while i < n and text[i] in " \t\r\n\ufeff":
            i += 1
        if n - i < 10:
            return "more"
        if text.startswith("<?", i) or text.startswith("<!--", i):
            closing = "?>" if text[i + 1] == "?" else "-->"
            end = text.find(closing, i + 2)
            if end < 0:
                return "more"
            i = end + len(closing)
            continue
        return "dtd" if text.startswith("<!", i) else "clean"


def _xml_part_verdict(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> str | None:
    """'xml_entities' for a DTD in the part's prolog, 'unreadable_workbook' when it cannot be read."""
    try:
        with archive.open(info) as part:
            buffer = part.read(CHUNK)
            encoding = _xml_encoding(buffer)
            if encoding is None:
                return None
            while True:
                verdict = _prolog_verdict(buffer.decode(encoding, errors="ignore"))
                if verdict != "more":
                    return "xml_entities" if verdict == "dtd" else None
                more = part.read(CHUNK) if len(buffer) < PROLOG_LIMIT else b""
                if not more:
                    return None if len(buffer) < PROLOG_LIMIT else "unreadable_workbook"
                buffer += more
    except (OSError, zipfile.BadZipFile, EOFError, ValueError, NotImplementedError, RuntimeError):
        return "unreadable_workbook"


# ---------------------------------------------------------------------------
# Cell detectors (public so that tests and other modules can ask about one text)


def is_identity_code(text: str) -> bool:
    """A checksum-valid Finnish personal identity code, temporary numbers (900-999) included."""
    code = text.strip().upper()
    if len(code) != 11 or not _IDENTITY_CODE.fullmatch(code):
        return False
    individual = int(code[7:10])
    if individual < 2:  # 000 and 001 are never given
        return False
    try:
        date(CENTURIES[code[6]] + int(code[4:6]), int(code[2:4]), int(code[0:2]))
    except ValueError:
        return False
    return CHECK_CHARACTERS[int(code[:6] + code[7:10]) % 31] == code[10]


def identity_code_spans(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in _IDENTITY_CODE.finditer(text) if is_identity_code(m.group())]


def has_email(text: str) -> bool:
    return "@" in text and _EMAIL.search(text) is not None


def _is_phone(run: str) -> bool:
    digits = re.sub(r"[^0-9]", "", run)
    if run.startswith("+"):
        return 8 <= len(digits) <= 15 and digits[0] != "0"
    if digits.startswith("00"):
        return 8 <= len(digits) - 2 <= 15 and digits[2] != "0"
    if not digits.startswith("0") or digits[1:2] == "0" or not 8 <= len(digits) <= 12:
        return False
    if _IDENTITY_SHAPE.fullmatch(run):
        return False
    date_like = _HYPHEN_DATE.fullmatch(run)
    return not (date_like and 1 <= int(date_like.group(1)) <= 31 and 1 <= int(date_like.group(2)) <= 12)


def has_phone(text: str) -> bool:
    """A Finnish (040 123 4567, (09) 123 4567) or international (+358 40 123 4567, 0046 ...) number."""
    return any(_is_phone(m.group()) for m in _PHONE_RUN.finditer(text))


def is_formula_text(text: str) -> str | None:
    """The sign a spreadsheet would start a formula with ('=', '+', '-', '@'), or None.

    Leading spaces, tabs and line breaks do not hide it. A plain number (-3, +5) or a
    lone sign is not a formula: validation judges numbers.
    """
    stripped = text.strip()
    if not stripped or stripped[0] not in FORMULA_SIGNS:
        return None
    if len(stripped) == 1 or _PLAIN_NUMBER.fullmatch(stripped):
        return None
    return stripped[0]


def is_personal_header(header: str) -> bool:
    """A column header that names people or their identifiers or contact details."""
    name = re.sub(r"[_.]+", " ", header.strip().casefold())
    return _PERSON_HEADER.search(" ".join(name.split())) is not None


def cell_findings(text: str, personal_only: bool = False) -> tuple[tuple[str, dict[str, str]], ...]:
    """Problem codes (with message parameters) for one cell's text."""
    found: list[tuple[str, dict[str, str]]] = []
    rest = text
    spans = identity_code_spans(text)
    if spans:
        found.append((IDENTITY_CODE, {}))
        for start, end in reversed(spans):
            rest = rest[:start] + " " + rest[end:]
    if has_email(rest):
        found.append((EMAIL, {}))
    if has_phone(rest):
        found.append((PHONE, {}))
    sign = None if personal_only else is_formula_text(text)
    if sign:
        found.append((FORMULA, {"sign": sign}))
    return tuple(found)


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


def _normal_header(header: object) -> str:
    return str(header).strip().lower()


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


def person_level_finding(table: Table) -> Problem | None:
    """Rows that look like records of individuals rather than cells of breakdown tables.

    The rule (DATA-CONTRACT 7): at least MIN_PERSON_ROWS rows with a value, at least
    ONES_SHARE of them exactly 1, and no breakdown pattern. A row fits the breakdown
    pattern when it fills at most two dimension columns and no other row has the same
    organisation, period, measure and dimension cells. Aggregate files fit it row by
    row (each row is one cell of a table), however small the counts; a file of persons
    does not: persons have more than two attributes, and two persons alike repeat a
    key. An unknown column whose values are nearly all different (a client number)
    also marks the rows as records of individuals.
    """
    frame = table.frame
    names = [_normal_header(h) for h in frame.columns]
    if "value" not in names or frame.empty:
        return None
    values = frame.iloc[:, names.index("value")].astype(str).str.strip()
    filled = values != ""
    rows = int(filled.sum())
    ones = int((values == "1").sum())
    if rows < MIN_PERSON_ROWS or ones < ONES_SHARE * rows:
        return None
    from etl.codebook import load_codebook

    known = set(load_codebook().dimensions)
    dims = [i for i, name in enumerate(names) if name not in CANONICAL_NON_DIMENSIONS | set(LOCATION_COLUMNS)]
    keys = [i for i, name in enumerate(names) if name not in ("value", "flag", *LOCATION_COLUMNS)]
    subset = frame[filled]
    text = pd.DataFrame({i: subset.iloc[:, i].astype(str).str.strip().str.casefold() for i in range(len(names))})
    used = pd.DataFrame({i: (text[i] != "") & (text[i] != "_t") for i in dims})
    fill = used.sum(axis=1) if dims else pd.Series(0, index=text.index)
    repeated = text[keys].duplicated(keep=False)
    fits = (fill <= 2) & ~repeated
    identifier = any(names[i] not in known and text[i].nunique() >= IDENTIFIER_SHARE * rows for i in dims)
    if identifier or fits.mean() < PATTERN_SHARE:
        return Problem(PERSON_ROWS, sheet=table.sheet, params={"ones": ones, "rows": rows})
    return None


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
