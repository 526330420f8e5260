"""Readers: content decides the format; every encoding, delimiter and line ending reads to the same rows."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, assume, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from etl.codebook import load_codebook
from etl.config import Settings
from etl.intake import readers
from etl.intake.csv_reader import decode_text, detect_delimiter
from etl.intake.problems import RejectedError
from etl.intake.readers import cell_text
from etl.intake.screen import read_tables
from etl.intake.sniff import Table, sniff_kind

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
# The files tests/fixtures/make_fixtures.py writes (the filled template beside them is tested with templates).
VALID = [
    FIXTURES / "valid" / name
    for name in (
        "utf8_semicolon_crlf.csv",
        "utf8_bom_comma_lf.csv",
        "cp1252_semicolon_crlf.csv",
        "utf8_tab_lf.csv",
        "utf8_sep_hint_codes.csv",
        "long.xlsx",
    )
]
HEADER = ["organisation", "period", "measure", "exploitation_form", "sex", "value", "flag"]
# The one contribution every valid file carries, as codes (golden, written out by hand).
CONTRIBUTION = [
    ("testi", "2024H1", "PERS_ACTIVE", "", "", "1500", ""),
    ("testi", "2024H1", "PERS_NEW", "", "", "1234", ""),
    ("testi", "2024H1", "PERS_NEW", "LAB", "", "1000", ""),
    ("testi", "2024H1", "PERS_NEW", "SEX", "", "234", ""),
    ("testi", "2024H1", "PERS_NEW", "", "F", "1100", ""),
    ("testi", "2024H1", "PERS_NEW", "", "M", "134", ""),
    ("testi", "2024H1", "CONTACTS_ANON", "", "", "5", "E"),
    ("testi", "2024H1", "DEPENDANTS_NEW", "", "", "", ""),
]


@pytest.fixture
def conf(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "data")


def _one(data: bytes, conf: Settings) -> Table:
    tables = read_tables(data, conf)
    assert len(tables) == 1
    return tables[0]


def _codes(table: Table) -> list[tuple[str, ...]]:
    """The rows with labels mapped to codes and thousands separators taken out, as validation will."""
    book = load_codebook()
    rows = []
    for _, record in table.frame.iterrows():
        cells = {name: str(record[name]).strip() for name in HEADER}
        for dimension in ("exploitation_form", "sex"):
            if cells[dimension]:
                cells[dimension] = book.lookup(dimension, cells[dimension]) or f"?{cells[dimension]}"
        cells["value"] = re.sub(r"[ \u00a0\u202f]", "", cells["value"])
        rows.append(tuple(cells[name] for name in HEADER))
    return rows


def _rejected(data: bytes, conf: Settings) -> list[tuple[str, int | None]]:
    with pytest.raises(RejectedError) as caught:
        read_tables(data, conf)
    return [(p.code, p.row) for p in caught.value.problems]


# ---------------------------------------------------------------------------
# The valid corpus


@pytest.mark.parametrize("path", VALID, ids=[p.name for p in VALID])
def test_every_valid_file_reads_to_the_same_rows(path: Path, conf: Settings):
    table = _one(path.read_bytes(), conf)
    assert list(table.frame.columns) == HEADER
    assert _codes(table) == CONTRIBUTION
    rows = [table.first_row + int(label) for label in table.frame.index]
    first = 3 if "sep_hint" in path.name else 2  # Excel's `sep=;` line stands above the header
    assert rows == list(range(first, first + 8))


def test_the_corpus_covers_each_encoding_delimiter_and_line_ending():
    seen = set()
    for path in VALID:
        data = path.read_bytes()
        if sniff_kind(data) == "xlsx":
            seen.add("xlsx")
            continue
        _, encoding = decode_text(data)
        text = data.decode("cp1252" if encoding == "Windows-1252" else "utf-8-sig")
        header = next(line for line in text.splitlines() if not line.startswith("sep="))
        seen |= {encoding, detect_delimiter(header), "CRLF" if b"\r\n" in data else "LF"}
        seen |= {name for name, sep in (("nbsp", "\u00a0"), ("narrow", "\u202f")) if sep in text}
    assert seen >= {"xlsx", "UTF-8", "UTF-8-BOM", "Windows-1252", ";", ",", "\t", "CRLF", "LF", "nbsp", "narrow"}


def test_windows_1252_keeps_finnish_letters_and_no_break_spaces(conf: Settings):
    table = _one((FIXTURES / "valid" / "cp1252_semicolon_crlf.csv").read_bytes(), conf)
    assert table.frame["exploitation_form"].iloc[2] == "Pakkotyö / työperäinen hyväksikäyttö"
    assert table.frame["value"].iloc[1] == "1\u00a0234"  # separators stay for validation to strip


def test_narrow_no_break_space_and_tab_delimiter(conf: Settings):
    table = _one((FIXTURES / "valid" / "utf8_tab_lf.csv").read_bytes(), conf)
    assert table.frame["value"].tolist()[:3] == ["1\u202f500", "1\u202f234", "1\u202f000"]
    assert table.frame["exploitation_form"].iloc[2] == "Forced labour / labour exploitation"


def test_workbook_reads_numbers_as_text_and_skips_the_notes_sheet(conf: Settings):
    table = _one((FIXTURES / "valid" / "long.xlsx").read_bytes(), conf)
    assert table.sheet == "Tilastot"
    assert table.frame["value"].tolist() == ["1500", "1234", "1000", "234", "1100", "134", "5", ""]


# ---------------------------------------------------------------------------
# CSV details


@pytest.mark.parametrize(
    ("line", "delimiter"),
    [
        ("organisation;period;value", ";"),
        ("organisation,period,value", ","),
        ("organisation\tperiod\tvalue", "\t"),
        ('"a;b",c,d', ","),  # a delimiter inside quotes does not count
        ("organisation", ";"),
        ("a;b,c", ";"),  # as many of each: ; wins
    ],
)
def test_delimiter_comes_from_the_header_line(line: str, delimiter: str):
    assert detect_delimiter(line) == delimiter


def test_blank_and_empty_rows_are_dropped_but_row_numbers_stay_true(conf: Settings):
    data = b"\r\n\r\norganisation;period;value\r\ntesti;2024;1\r\n\r\n;;\r\ntesti;2024;2\r\n\r\n\r\n"
    table = _one(data, conf)
    assert table.first_row == 4
    assert [table.first_row + int(i) for i in table.frame.index] == [4, 7]
    assert table.frame["value"].tolist() == ["1", "2"]


def test_quoted_cells_keep_delimiters_quotes_and_line_breaks(conf: Settings):
    data = b'organisation;measure;value\ntesti;"a;b ""c""\nd";1\ntesti;x;2\n'
    table = _one(data, conf)
    assert table.frame["measure"].tolist() == ['a;b "c"\nd', "x"]


def test_carriage_returns_alone_end_lines_too(conf: Settings):
    table = _one(b"organisation;value\rtesti;1\rtesti;2\r", conf)
    assert table.frame["value"].tolist() == ["1", "2"]


def test_header_only_file_gives_an_empty_table_with_its_columns(conf: Settings):
    table = _one(b"organisation;period;measure;value\r\n", conf)
    assert list(table.frame.columns) == ["organisation", "period", "measure", "value"]
    assert table.frame.empty


def test_repeated_headers_stay_as_written_for_validation_to_name(conf: Settings):
    table = _one(b"organisation;value;Value\ntesti;1;2\n", conf)
    assert list(table.frame.columns) == ["organisation", "value", "Value"]
    assert table.frame.iloc[0].tolist() == ["testi", "1", "2"]


def test_rows_with_the_wrong_number_of_fields_are_named(conf: Settings):
    data = b"a;b;c\n1;2;3\n1;2\n1;2;3\n1;2;3;4\n"
    problems = _rejected(data, conf)
    assert problems == [("wrong_field_count", 3), ("wrong_field_count", 5)]
    with pytest.raises(RejectedError) as caught:
        read_tables(data, conf)
    assert caught.value.problems[0].params == {"expected": 3, "found": 2}


@pytest.mark.parametrize(
    ("data", "code"),
    [
        ("organisation;value\ntesti;1\n".encode("utf-16"), "unsupported_encoding"),
        ("organisation;value\ntesti;1\n".encode("utf-16-be"), "unsupported_encoding"),
        ("organisation;value\ntesti;1\n".encode("utf-32"), "unsupported_encoding"),
        (b"organisation;value\ntesti\x81\x8d;1\n", "unsupported_encoding"),  # neither UTF-8 nor cp1252
        ("a;b\nä;1\n".encode() + "ö;2\n".encode("cp1252"), "mixed_encoding"),
        ("a;b\nPakkotyÃ¶;1\n".encode(), "garbled_text"),
        (b"a;b\n1;\x01\x02\n", "not_a_table"),
        (b"", "empty_file"),
        (b"\xef\xbb\xbf  \r\n", "empty_file"),
    ],
)
def test_unreadable_text_is_a_clear_problem_not_mojibake(data: bytes, code: str, conf: Settings):
    assert [c for c, _ in _rejected(data, conf)] == [code]


def test_utf16_names_its_encoding(conf: Settings):
    with pytest.raises(RejectedError) as caught:
        read_tables("a;b\n".encode("utf-16"), conf)
    assert caught.value.problems[0].params == {"encoding": "UTF-16"}
    assert "UTF-16" in caught.value.problems[0].message("fi")


def test_garbled_text_names_its_row(conf: Settings):
    assert _rejected("a;b\nok;1\nPakkotyÃ¶;1\n".encode(), conf) == [("garbled_text", 3)]


def test_too_many_rows_is_refused_before_parsing(conf: Settings):
    small = replace(conf, max_rows=5)
    data = b"a;b\n" + b"x;1\n" * 20
    assert _rejected(data, small) == [("too_many_rows", None)]
    assert _rejected(data.replace(b"\n", b"\r"), small) == [("too_many_rows", None)]  # old Mac line ends


def test_the_file_name_plays_no_part():
    workbook = (FIXTURES / "valid" / "long.xlsx").read_bytes()
    assert sniff_kind(workbook) == "xlsx"
    assert sniff_kind(b"organisation;value\n") == "csv"
    assert sniff_kind(b"\x00\x01\x02garbage") is None


# ---------------------------------------------------------------------------
# Workbooks


def _xlsx(sheets: dict[str, list[list[object]]]) -> bytes:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_workbook_header_below_a_title_and_cell_types(conf: Settings):
    data = _xlsx(
        {
            "Data": [
                ["Tilastot 2024"],
                [],
                ["organisation", "period", "measure", "value", "flag", None],
                ["testi", 2024, "PERS_NEW", 12, None, None],
                [None, None, None, None, None, None],
                ["testi", "2024H1", "PERS_NEW", 2.5, True, None],
                ["testi", datetime(2024, 1, 31), "PERS_NEW", 3.0, date(2024, 2, 1), None],
                ["testi", "2024H2", "PERS_NEW", "=1+2", None, None],
            ]
        }
    )
    table = _one(data, conf)
    assert table.sheet == "Data"
    assert table.first_row == 4
    assert list(table.frame.columns) == ["organisation", "period", "measure", "value", "flag"]
    assert [table.first_row + int(i) for i in table.frame.index] == [4, 6, 7, 8]
    assert table.frame["period"].tolist() == ["2024", "2024H1", "2024-01-31", "2024H2"]
    assert table.frame["value"].tolist() == ["12", "2.5", "3", "=1+2"]  # formulas stay formulas
    assert table.frame["flag"].tolist() == ["", "TRUE", "2024-02-01", ""]


def test_one_table_per_long_sheet_and_other_sheets_left_out(conf: Settings):
    long = [["organisation", "period", "measure", "value"], ["testi", "2024H1", "PERS_NEW", 1]]
    data = _xlsx({"Ohje": [["Lue tämä ensin"]], "H1": long, "H2": long})
    assert [t.sheet for t in read_tables(data, conf)] == ["H1", "H2"]


def test_a_workbook_without_the_long_header_gives_its_first_sheet_for_validation(conf: Settings):
    data = _xlsx({"Taul1": [[], ["org", "vuosi", "arvo"], ["testi", 2024, 3]], "Taul2": [["x"]]})
    table = _one(data, conf)
    assert (table.sheet, table.first_row, list(table.frame.columns)) == ("Taul1", 3, ["org", "vuosi", "arvo"])


def test_empty_workbook_is_an_empty_file(conf: Settings):
    assert _rejected(_xlsx({"Tyhjä": []}), conf) == [("empty_file", None)]


def test_cell_text_of_each_type():
    assert [cell_text(v) for v in (None, 0, 7, 7.0, 0.5, 1e20, False)] == ["", "0", "7", "7", "0.5", "1e+20", "FALSE"]


def test_a_filled_template_is_handed_to_the_template_reader(conf: Settings, monkeypatch: pytest.MonkeyPatch):
    seen = []
    sentinel = [Table(frame=__import__("pandas").DataFrame({"value": ["1"]}), sheet="Uudet")]

    def fake_read_template(workbook):
        seen.append(workbook.sheetnames)
        return sentinel

    monkeypatch.setattr(readers, "read_template", fake_read_template)  # the name the reader calls
    data = _xlsx({"Uudet": [["Uudet asiakkaat"]], "_codes": [["organisation", "testi"]]})
    assert read_tables(data, conf) == sentinel
    assert seen == [["Uudet", "_codes"]]


# ---------------------------------------------------------------------------
# Properties


@hsettings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=3000))
def test_random_bytes_give_tables_or_the_projects_own_refusal(data: bytes):
    conf = Settings(data_dir=Path("/nonexistent"))
    try:
        tables = read_tables(data, conf)
    except RejectedError as rejected:
        assert rejected.problems and all(p.code for p in rejected.problems)
        return
    assert all(isinstance(t, Table) for t in tables)


@hsettings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(min_size=4, max_size=2000))
def test_random_bytes_after_a_zip_signature_never_crash_the_workbook_path(tail: bytes):
    conf = Settings(data_dir=Path("/nonexistent"))
    try:
        read_tables(b"PK\x03\x04" + tail, conf)
    except RejectedError as rejected:
        assert rejected.problems


def _valid_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


# Text any member might type: letters (Finnish, Swedish), digits, punctuation, spaces, line breaks in quotes.
CELL_TEXT = st.text(
    alphabet=st.characters(
        codec="cp1252",
        exclude_categories=("Cc", "Cs"),
        exclude_characters="ÃâÂ",
        include_characters="\n",
    ),
    max_size=12,
)
HEADER_NAME = st.from_regex(r"[a-z][a-z_]{0,10}", fullmatch=True)


@hsettings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    headers=st.lists(HEADER_NAME, min_size=2, max_size=6),
    data=st.data(),
    delimiter=st.sampled_from([";", ",", "\t"]),
    newline=st.sampled_from(["\r\n", "\n"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]),
)
def test_any_table_written_as_csv_reads_back_cell_for_cell(headers, data, delimiter, newline, encoding):
    rows = data.draw(st.lists(st.lists(CELL_TEXT, min_size=len(headers), max_size=len(headers)), max_size=8))
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator=newline)
    writer.writerow(headers)
    writer.writerows(rows)
    encoded = buffer.getvalue().encode(encoding)
    if encoding == "cp1252" and not encoded.isascii():
        # Some cp1252 byte pairs ("Ä–") are also valid UTF-8; such a file cannot be told apart, and UTF-8 wins.
        assume(not _valid_utf8(encoded))
    conf = Settings(data_dir=Path("/nonexistent"))
    table = _one(encoded, conf)
    assert list(table.frame.columns) == headers
    kept = [(offset, row) for offset, row in enumerate(rows) if any(cell.strip() for cell in row)]
    assert [list(r) for r in table.frame.itertuples(index=False)] == [row for _, row in kept]
    assert list(table.frame.index) == [offset for offset, _ in kept]
