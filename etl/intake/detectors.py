"""Person-level detectors: identity codes, e-mails, phones, formula text, person headers, rows of individuals."""

from __future__ import annotations

import re
from datetime import date

import pandas as pd

from etl.intake.problems import Problem
from etl.intake.sniff import Table

IDENTITY_CODE = "personal_identity_code"
EMAIL = "email_address"
PHONE = "phone_number"
PERSON_HEADER = "personal_header"
PERSON_ROWS = "person_level_rows"
FORMULA = "formula_text"

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
# Headers that name people or hold their identifiers or contact details, in Finnish, Swedish and English.
_PERSON_HEADER = re.compile(
    r"nimi(?!ke)|name|namn|hetu|henkilötun|sosiaaliturvatun|\bsotu\b|personbeteckning|personnummer|\bssn\b"
    r"|social security|syntymä|födelse|birth|\bdob\b|e-?mail|sähköposti|\bs-?posti|\be-?post|osoite|address"
    r"|adress|puhelin|\bpuh\b|phone|telefon|\btel\b|\bgsm\b|mobil|matkapuh|asiakasnumero|asiakasnro"
    r"|asiakas id|client id|client number|klientnummer|passport|passinumero|passnummer"
)

# --- rows that look like records of individuals
CANONICAL_NON_DIMENSIONS = frozenset({"organisation", "period", "measure", "value", "flag"})
# A filled template's tables (etl.intake.filled_template) carry each cell's place in the workbook in these columns.
LOCATION_COLUMNS = ("_row", "_column")
MIN_PERSON_ROWS = 20
ONES_SHARE = 0.8
PATTERN_SHARE = 0.5
IDENTIFIER_SHARE = 0.9


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
# Rows


def _normal_header(header: object) -> str:
    return str(header).strip().lower()


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
