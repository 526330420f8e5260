"""Screening: dangerous files and person-level data are refused, located, and never echoed."""

from __future__ import annotations

import io
import json
import random
import zipfile
from dataclasses import replace
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from etl.codebook import load_codebook
from etl.config import Settings
from etl.demo.build import demo_files
from etl.i18n import LANGUAGES, catalogue
from etl.intake import containers, detectors
from etl.intake.detectors import cell_findings, is_formula_text, is_identity_code, is_personal_header
from etl.intake.problems import Problem, RejectedError, errors
from etl.intake.screen import (
    PERSONAL_DATA_CODES,
    column_letter,
    has_personal_data,
    read_tables,
    screen_bytes,
    screen_tables,
)
from etl.intake.sniff import Table

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
INVALID = FIXTURES / "invalid"
CHECK = "0123456789ABCDEFHJKLMNPRSTUVWXY"
SIGNS = {1800: "+", 1900: "-YXWVU", 2000: "ABCDEF"}
# Checksum-valid codes with temporary numbers, worked out by hand (DDMMYYNNN mod 31).
GOLDEN_CODES = ["010190-900P", "241299-987J", "290200A999J", "150650+9502", "311223F901N", "050555Y963H"]
SCREEN_CODES = {
    "empty_file", "file_too_large", "executable_file", "legacy_office_file", "encrypted_workbook", "macro_workbook",
    "external_content", "zip_inflation", "zip_too_many_parts", "zip_too_large", "xml_entities", "unreadable_workbook",
    "unsupported_encoding", "mixed_encoding", "garbled_text", "wrong_field_count", "too_many_rows",
    "personal_identity_code", "email_address", "phone_number", "personal_header", "person_level_rows", "formula_text",
}  # fmt: skip


@pytest.fixture
def conf(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "data")


def intake(data: bytes, conf: Settings) -> list[Problem]:
    """What the load path learns before validation: screen the bytes, read, screen the tables."""
    problems = screen_bytes(data, conf)
    if errors(problems):
        return problems
    try:
        tables = read_tables(data, conf)
    except RejectedError as rejected:
        return problems + rejected.problems
    return problems + screen_tables(tables)


def _located(problems: list[Problem]) -> list[tuple]:
    return sorted((p.code, p.row or 0, p.column or "", p.sheet or "") for p in problems)


def _fixture_script():
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_fixtures", FIXTURES / "make_fixtures.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _my_invalid_cases() -> list[tuple[Path, Path]]:
    """The invalid files of reading and screening (tests/fixtures/make_fixtures.py writes them)."""
    names = sorted(_fixture_script().invalid_files())
    return [(INVALID / name, INVALID / (name.rsplit(".", 1)[0] + ".expected.json")) for name in names]


MINE = _my_invalid_cases()


def table(rows: list[list[str]], header: list[str], sheet: str | None = None) -> Table:
    return Table(frame=pd.DataFrame(rows, columns=header, dtype="str"), sheet=sheet)


def make_code(day: date, sign: str, number: int) -> str:
    digits = f"{day:%d%m%y}{number:03d}"
    return f"{digits[:6]}{sign}{digits[6:]}{CHECK[int(digits) % 31]}"


# ---------------------------------------------------------------------------
# The invalid corpus (golden expectations in <name>.expected.json)


def test_the_corpus_has_every_category_of_intake():
    assert len(MINE) >= 22
    codes = {p["code"] for _, e in MINE for p in json.loads(e.read_text())["problems"]}
    assert codes >= SCREEN_CODES - {"file_too_large", "zip_too_many_parts", "zip_too_large", "too_many_rows"}


@pytest.mark.parametrize(("path", "expected"), MINE, ids=[f.name for f, _ in MINE])
def test_each_invalid_file_gives_exactly_its_expected_problems(path: Path, expected: Path, conf: Settings):
    want = json.loads(expected.read_text(encoding="utf-8"))
    assert want["why"]
    got = intake(path.read_bytes(), conf)
    assert _located(got) == sorted(
        (p["code"], p["row"] or 0, p["column"] or "", p["sheet"] or "") for p in want["problems"]
    )
    assert all(p.severity == "error" for p in got)


def test_the_fixture_script_reproduces_the_committed_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    module = _fixture_script()
    monkeypatch.setattr(module, "VALID", tmp_path / "valid")
    monkeypatch.setattr(module, "INVALID", tmp_path / "invalid")
    for path in module.write_all():
        committed = FIXTURES / path.parent.name / path.name
        assert committed.read_bytes() == path.read_bytes(), path.name
        assert path.stat().st_size < 20_000  # all tiny


def test_valid_corpus_and_every_demo_file_pass_screening(conf: Settings):
    for path in sorted((FIXTURES / "valid").iterdir()):
        assert intake(path.read_bytes(), conf) == [], path.name
    for seed in (2024, 7):
        for demo in demo_files(seed):
            assert intake(demo.data, conf) == [], demo.name


def test_a_tiny_member_whose_every_count_is_one_is_not_person_level(conf: Settings):
    """The demo files with zero cells dropped and every count set to 1: still cells of tables."""
    for demo in demo_files(2024)[:40]:
        (source,) = read_tables(demo.data, conf)
        frame = source.frame[~source.frame["value"].isin(["0", ""])].copy()
        frame["value"] = "1"
        assert detectors.person_level_finding(Table(frame=frame)) is None, demo.name


# ---------------------------------------------------------------------------
# Messages: in three languages, naming the place, never the personal data


def test_every_code_has_a_message_in_every_language():
    for lang in LANGUAGES:
        assert {f"problem.{code}" for code in SCREEN_CODES} <= set(catalogue(lang))
    assert {"personal_identity_code", "email_address", "phone_number", "personal_header", "person_level_rows"} == set(
        PERSONAL_DATA_CODES
    )


@pytest.mark.parametrize("name", ["identity_codes.csv", "email.csv", "phone.csv", "personal_other_sheet.xlsx"])
def test_findings_are_located_but_the_personal_data_is_never_echoed(name: str, conf: Settings):
    data = (INVALID / name).read_bytes()
    problems = intake(data, conf)
    assert has_personal_data(problems)
    secrets = ["maija.testinen", "example.invalid", "123 4567", "987 6543", "876 5432", "123 456 78", "241299-987"]
    secrets += [p.lower() for p in _codes_in(data)]
    for problem in problems:
        assert problem.row is not None and problem.column
        shown = [problem.value or "", problem.column]
        shown += [problem.message(lang) + problem.location(lang) for lang in LANGUAGES]
        for text in shown:
            assert not any(secret in text.lower() for secret in secrets), (problem, text)


def _codes_in(data: bytes) -> list[str]:
    import re

    text = data.decode("utf-8", errors="ignore")
    if data.startswith(b"PK"):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            text = " ".join(archive.read(n).decode("utf-8", errors="ignore") for n in archive.namelist())
    return [m for m in re.findall(r"[0-9]{6}[-+A-Ya-y][0-9]{3}[0-9A-Ya-y]", text) if is_identity_code(m)]


def test_formula_findings_are_not_personal_data(conf: Settings):
    problems = intake((INVALID / "formula_cmd.csv").read_bytes(), conf)
    assert problems and not has_personal_data(problems)
    assert {p.params["sign"] for p in problems} == {"+", "-"}
    assert all(p.value is None for p in problems)  # the payload is not echoed either


def test_a_header_that_holds_a_finding_is_named_by_its_letter(conf: Settings):
    problems = intake((INVALID / "identity_code_header.csv").read_bytes(), conf)
    assert [(p.code, p.row, p.column) for p in problems] == [("personal_identity_code", 1, "G")]
    assert [column_letter(i) for i in (0, 6, 25, 26, 27, 701, 702)] == ["A", "G", "Z", "AA", "AB", "ZZ", "AAA"]


# ---------------------------------------------------------------------------
# Bytes


def test_a_file_over_the_size_limit_is_refused_before_anything_else(conf: Settings):
    small = replace(conf, max_upload_mb=1)
    data = b"organisation;value\n" + b"testi;1\n" * 150_000
    problems = screen_bytes(data, small)
    assert [(p.code, p.params) for p in problems] == [("file_too_large", {"size_mb": 1.1, "limit_mb": 1})]
    assert "1,1" in problems[0].message("fi")
    with pytest.raises(RejectedError):
        read_tables(data, small)


def _zip(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def _workbook_parts(**extra: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(FIXTURES / "valid" / "long.xlsx") as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    return {**parts, **extra}


def test_a_workbook_of_too_many_parts_is_refused_unopened(conf: Settings):
    data = _zip(_workbook_parts(**{f"xl/media/p{i}.xml": b"<a/>" for i in range(containers.MAX_ZIP_PARTS)}))
    assert [p.code for p in screen_bytes(data, conf)] == ["zip_too_many_parts"]


def test_a_workbook_too_large_unpacked_is_refused(conf: Settings, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(containers, "MAX_UNCOMPRESSED_BYTES", 50_000)
    data = _zip(_workbook_parts(**{"xl/media/big.xml": b"<a>" + bytes(60_000) + b"</a>"}))
    assert [p.code for p in screen_bytes(data, conf)] == ["zip_too_large"]


def test_the_inflation_limit_is_the_setting(conf: Settings):
    data = (INVALID / "zip_bomb.xlsx").read_bytes()
    assert [p.code for p in screen_bytes(data, replace(conf, max_inflation_ratio=100))] == ["zip_inflation"]
    assert screen_bytes(data, replace(conf, max_inflation_ratio=10_000)) == []


def _with_encryption_flag(data: bytes) -> bytes:
    """The ZIP with the 'encrypted' bit set on every part (zipfile cannot write encrypted parts)."""
    patched = bytearray(data)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for info in archive.infolist():
            patched[info.header_offset + 6] |= 0x1  # local header: general purpose flags
        offset = archive.start_dir
    while patched[offset : offset + 4] == b"PK\x01\x02":  # central directory entries
        patched[offset + 8] |= 0x1
        lengths = [int.from_bytes(patched[offset + i : offset + i + 2], "little") for i in (28, 30, 32)]
        offset += 46 + sum(lengths)
    return bytes(patched)


def test_an_encrypted_zip_member_is_an_encrypted_workbook(conf: Settings):
    data = _with_encryption_flag((FIXTURES / "valid" / "long.xlsx").read_bytes())
    assert [p.code for p in screen_bytes(data, conf)] == ["encrypted_workbook"]


def test_printer_settings_are_not_macros(conf: Settings):
    data = _zip(_workbook_parts(**{"xl/printerSettings/printerSettings1.bin": bytes(64)}))
    assert screen_bytes(data, conf) == []


DTD = '<!DOCTYPE x [<!ENTITY a "b">]><worksheet/>'


@pytest.mark.parametrize(
    ("content", "found"),
    [
        (DTD.encode(), True),
        (('<?xml version="1.0"?>\n<!-- ' + "x" * 40_000 + " -->\n" + DTD).encode(), True),  # after a long comment
        (('<?xml version="1.0" encoding="UTF-16"?>' + DTD).encode("utf-16"), True),
        (('<?xml version="1.0"?>' + DTD).encode("utf-16-le"), True),
        (b'<!doctype x SYSTEM "http://example.invalid/x.dtd"><x/>', True),
        (b'<?xml version="1.0"?><worksheet><t>&lt;!DOCTYPE is text here</t></worksheet>', False),
        (b"\x89PNG\r\n\x1a\n<!DOCTYPE not xml>", False),
    ],
)
def test_a_dtd_in_any_xml_part_is_found(content: bytes, found: bool, conf: Settings):
    data = _zip(_workbook_parts(**{"customXml/item1.xml": content}))
    assert [p.code for p in screen_bytes(data, conf)] == (["xml_entities"] if found else [])


def test_defusedxml_is_the_second_guard(conf: Settings):
    """Even when the prolog check is skipped, openpyxl with defusedxml refuses the bomb."""
    from etl.intake.readers import read_xlsx

    with pytest.raises(RejectedError) as caught:
        read_xlsx((INVALID / "xml_bomb.xlsx").read_bytes(), conf)
    assert [p.code for p in caught.value.problems] == ["xml_entities"]


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"\x7fELF\x02\x01\x01" + bytes(64), "executable_file"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\x00", "not_a_table"),
        (b"\x89PNG\r\n\x1a\n" + bytes(32), "not_a_table"),
        (b"\x1f\x8b\x08\x00" + bytes(16), "not_a_table"),
    ],
)
def test_other_binary_files_are_not_tables(data: bytes, code: str, conf: Settings):
    assert [p.code for p in screen_bytes(data, conf)] == [code]


# ---------------------------------------------------------------------------
# Cell detectors


def test_golden_identity_codes():
    for code in GOLDEN_CODES:
        assert is_identity_code(code), code
        assert is_identity_code(code.lower())
        assert is_identity_code(code[:-1] + CHECK[(CHECK.index(code[-1]) + 1) % 31]) is False
    assert is_identity_code("300290-900E") is False  # 30 February
    assert is_identity_code(make_code(date(1990, 1, 1), "-", 1)) is False  # 001 is never given
    assert is_identity_code("010190G900P") is False  # G is no century sign


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("040 123 4567", ["phone_number"]),
        ("0401234567", ["phone_number"]),
        ("040-1234567", ["phone_number"]),
        ("(09) 123 4567", ["phone_number"]),
        ("puh. 09 1234 5678", ["phone_number"]),
        ("+358401234567", ["phone_number"]),  # a spreadsheet reads it as a plain number
        ("+358 40 123 4567", ["phone_number", "formula_text"]),  # the spaces make it a formula
        ("tel +44 20 7946 0958", ["phone_number"]),
        ("00358 40 123 4567", ["phone_number"]),
        ("nimi@example.invalid", ["email_address"]),
        ('=HYPERLINK("mailto:a@b.fi")', ["email_address", "formula_text"]),
        ("asiakas 010190-900P, 040 123 4567", ["personal_identity_code", "phone_number"]),
        ("010190-9001", []),  # the shape of an identity code with a wrong check character, and no phone
        ("2024H1", []),
        ("H1/2024", []),
        ("2024-H1", []),
        ("2016-2025", []),
        ("31.12.2024", []),
        ("01.02.2024", []),
        ("01-02-2024", []),
        ("2024-01-31", []),
        ("1/31/2024", []),
        ("1 234 567", []),
        ("1\u00a0234\u00a0567", []),
        ("0,12345678", []),
        ("0", []),
        ("Y18_29", []),
        ("60+", []),
        ("-3", []),
        ("+5", []),
        ("-1 234", []),
        ("-", []),
        ("-2+3", ["formula_text"]),
        ("=1+1", ["formula_text"]),
        ("@SUM(A1)", ["formula_text"]),
        ("\t=1", ["formula_text"]),
        ("\r\n+cmd", ["formula_text"]),
    ],
)
def test_cell_findings(text: str, codes: list[str]):
    assert [code for code, _ in cell_findings(text)] == codes


def test_a_plain_negative_number_in_the_value_column_is_not_formula_text():
    found = screen_tables(
        [table([["testi", "2024H1", "PERS_NEW", "-3"]], ["organisation", "period", "measure", "value"])]
    )
    assert found == []
    assert is_formula_text("-3") is None and is_formula_text(" -3x") == "-"


@pytest.mark.parametrize(
    "header",
    ["nimi", "Sukunimi", "Asiakkaan nimi", "name", "First name", "namn", "förnamn", "hetu", "Henkilötunnus",
     "personbeteckning", "personnummer", "syntymäaika", "Date of birth", "födelsedatum", "email", "E-mail",
     "sähköposti", "e-post", "osoite", "Address", "adress", "puhelin", "puh", "Phone", "telefon", "mobile",
     "asiakasnumero", "client_id", "ssn"],
)  # fmt: skip
def test_headers_that_name_people(header: str):
    assert is_personal_header(header)


def test_no_codebook_name_is_a_personal_header_or_a_finding():
    book = load_codebook()
    names = ["organisation", "period", "measure", "value", "flag", *book.dimensions]
    texts = list(names)
    for dimension in book.dimensions.values():
        texts += [dimension.label.fi, dimension.label.sv, dimension.label.en]
    for measure in book.measures.values():
        texts += [measure.code, measure.label.fi, measure.label.sv, measure.label.en]
    for codes in book.codes.values():
        for code in codes.values():
            texts += [code.code, code.label.fi, code.label.sv, code.label.en]
    assert [t for t in names if is_personal_header(t)] == []
    assert [t for t in texts if cell_findings(t)] == []


def test_person_level_rule():
    header = ["organisation", "period", "measure", "citizenship", "value"]
    countries = ["TH", "VN", "UA", "NG", "RO", "BG", "EE", "PL", "LT", "IQ", "AF", "SO", "CN", "PH", "LK", "BD", "IN"]
    countries += ["NP", "RU", "UZ", "MA", "ER", "KE", "GH", "BR"]
    aggregate = [["testi", "2024", "PERS_NEW", "", "25"]] + [["testi", "2024", "PERS_NEW", c, "1"] for c in countries]
    assert detectors.person_level_finding(table(aggregate, header)) is None  # 25 countries of one person each
    persons = [["testi", "2024", "PERS_NEW", "TH", "1"]] * 19
    assert (
        detectors.person_level_finding(table(persons, header)) is None
    )  # under MIN_PERSON_ROWS: validation's duplicates
    found = detectors.person_level_finding(table(persons * 2, header, sheet="S"))
    assert found is not None and (found.code, found.sheet, found.params) == (
        "person_level_rows",
        "S",
        {"ones": 38, "rows": 38},
    )
    with_ids = [["testi", "2024", "PERS_NEW", f"{9000 + i}", "1"] for i in range(25)]
    assert detectors.person_level_finding(table(with_ids, ["organisation", "period", "measure", "asiakas", "value"]))
    assert (
        detectors.person_level_finding(table(with_ids, ["organisation", "period", "measure", "citizenship", "value"]))
        is None
    )


# ---------------------------------------------------------------------------
# Properties

CENTURY_DAYS = st.dates(min_value=date(1800, 1, 1), max_value=date(2099, 12, 31))


@st.composite
def identity_codes(draw) -> str:
    day = draw(CENTURY_DAYS)
    sign = draw(st.sampled_from(SIGNS[day.year // 100 * 100]))
    code = make_code(day, sign, draw(st.integers(900, 999)))
    return code.lower() if draw(st.booleans()) else code


SEPARATED_TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=8)


@hsettings(max_examples=300, deadline=None)
@given(
    code=identity_codes(),
    before=SEPARATED_TEXT,
    after=SEPARATED_TEXT,
    shape=st.tuples(st.integers(1, 5), st.integers(1, 6)),
    place=st.data(),
    in_header=st.booleans(),
)
def test_a_valid_identity_code_is_caught_in_any_cell(code, before, after, shape, place, in_header):
    rows, columns = shape
    row = place.draw(st.integers(0, rows - 1))
    column = place.draw(st.integers(0, columns - 1))
    header = [f"c{i}" for i in range(columns)]
    cells = [["5"] * columns for _ in range(rows)]
    text = f"{before} {code} {after}"  # a space on either side: a code is never glued to letters or digits
    if in_header:
        header[column] = text
    else:
        cells[row][column] = text
    found = [p for p in screen_tables([table(cells, header)]) if p.code == "personal_identity_code"]
    expected_row = 1 if in_header else row + 2
    expected_column = column_letter(column) if in_header else header[column]
    assert [(p.row, p.column) for p in found] == [(expected_row, expected_column)]


def _date_texts(day: date) -> list[str]:
    return [
        day.isoformat(),
        f"{day.day}.{day.month}.{day.year}",
        f"{day:%d.%m.%Y}",
        f"{day.month}/{day.day}/{day.year}",
        f"{day:%d/%m/%Y}",
        f"{day:%d-%m-%Y}",
        f"{day:%d.%m.%y}",
        f"{day.isoformat()} 12:30",
        f"{day:%Y%m%d}",
    ]


COUNTS = st.integers(0, 10**9).flatmap(
    lambda n: st.sampled_from(
        [str(n), f"{n:,}".replace(",", " "), f"{n:,}".replace(",", "\u00a0"), f"{n:,}".replace(",", "\u202f")]
    )
)
PERIODS = st.integers(2000, 2099).flatmap(
    lambda y: st.sampled_from([str(y), f"{y}H1", f"{y}H2", f"{y}-H1", f"{y} H2", f"H1/{y}", f"{y}-{y + 1}"])
)
DATES = st.dates(min_value=date(1900, 1, 1), max_value=date(2099, 12, 31)).flatmap(
    lambda d: st.sampled_from(_date_texts(d))
)


def _codebook_texts() -> list[str]:
    book = load_codebook()
    return sorted(
        {
            text
            for codes in book.codes.values()
            for c in codes.values()
            for text in (c.code, c.label.fi, c.label.sv, c.label.en)
        }
    )


CODES = st.sampled_from(_codebook_texts())


@hsettings(max_examples=500, deadline=None)
@given(st.one_of(COUNTS, PERIODS, DATES, CODES))
def test_dates_periods_counts_and_codes_are_never_findings(text: str):
    assert cell_findings(text) == ()


@hsettings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(PERIODS, CODES, DATES, st.integers(2, 10**6).map(str)), min_size=1, max_size=40))
def test_an_ordinary_table_of_them_passes_screening(rows):
    cells = [["testi", period, "PERS_NEW", code, when, value, ""] for period, code, when, value in rows]
    header = ["organisation", "period", "measure", "exploitation_form", "note", "value", "flag"]
    assert screen_tables([table(cells, header)]) == []


@hsettings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    header=st.lists(st.text(max_size=10), min_size=1, max_size=5),
    data=st.data(),
)
def test_random_tables_give_problems_never_a_crash(header, data):
    width = len(header)
    rows = data.draw(st.lists(st.lists(st.text(max_size=15), min_size=width, max_size=width), max_size=30))
    problems = screen_tables([table(rows, header)])
    assert all(isinstance(p, Problem) and p.code in SCREEN_CODES for p in problems)


@hsettings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2000))
def test_random_bytes_give_problems_never_a_crash(data: bytes):
    conf = Settings(data_dir=Path("/nonexistent"))
    problems = screen_bytes(data, conf)
    assert all(p.code in SCREEN_CODES | {"not_a_table"} for p in problems)


def test_random_bytes_inside_a_workbook_give_problems_never_a_crash(conf: Settings):
    rng = random.Random(11)
    parts = _workbook_parts()
    for _ in range(30):
        name = rng.choice(sorted(parts))
        broken = bytearray(parts[name])
        for _ in range(rng.randint(1, 20)):
            broken[rng.randrange(len(broken))] = rng.randrange(256)
        data = _zip({**parts, name: bytes(broken)})
        problems = intake(data, conf)
        assert all(p.code in SCREEN_CODES | {"not_a_table"} for p in problems)


def test_a_template_cell_is_reported_at_its_place_in_the_workbook():
    header = ["organisation", "period", "measure", "value", "flag", "_row", "_column"]
    rows = [["testi", "2024H1", "PERS_NEW", "12", "", "7", "C"], ["testi", "2024H1", "PERS_NEW", "=1+1", "", "9", "D"]]
    found = screen_tables([table(rows, header, sheet="Uudet asiakkaat")])
    assert [(p.code, p.sheet, p.row, p.column) for p in found] == [("formula_text", "Uudet asiakkaat", 9, "D")]


def test_a_template_has_no_other_sheets_to_screen(conf: Settings):
    from etl.intake.readers import other_sheets

    buffer = io.BytesIO()
    book = __import__("openpyxl").Workbook()
    book.active.title = "Ohje"
    book["Ohje"].append(["Lisätietoja: koordinaattori@example.invalid"])  # the platform's own text
    book.create_sheet("_codes").append(["organisation", "testi"])
    book.save(buffer)
    assert other_sheets(buffer.getvalue()) == []
