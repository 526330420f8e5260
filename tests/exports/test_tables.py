"""The displayed table as CSV, Finnish-Excel CSV and XLSX: exact (golden), typed, and formula-proof."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dashboard.exports import citation
from dashboard.exports.citation import VIEW_KEYS
from dashboard.exports.tables import neutralise, parse_number
from etl.codebook import load_codebook
from etl.disclosure import flag_descriptions
from etl.i18n import format_int, format_number, format_percent_value, t
from tests.exports.conftest import HEADERS, sample_context, sample_exports, sample_spec

GOLDEN = Path(__file__).parent / "golden"
LANGS = ["fi", "sv", "en"]
TRIGGERS = ['=HYPERLINK("http://evil.example","klik")', "+1", "-1", "@x", "\tkielletty", "\rpaluu", "=1+1"]


@pytest.mark.parametrize("lang", LANGS)
def test_csv_is_the_displayed_table_exactly(lang):
    exports = sample_exports(lang)
    assert exports.csv() == (GOLDEN / f"sample.{lang}.csv").read_bytes()


@pytest.mark.parametrize("lang", LANGS)
def test_excel_csv_has_bom_semicolons_and_decimal_comma(lang):
    exports = sample_exports(lang)
    data = exports.excel_csv()
    assert data == (GOLDEN / f"sample.{lang}.excel.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")


def _data_rows(xlsx: bytes) -> list[list[object]]:
    book = openpyxl.load_workbook(io.BytesIO(xlsx))
    return [list(row) for row in book.worksheets[0].iter_rows(values_only=True)]


@pytest.mark.parametrize("lang", LANGS)
def test_xlsx_data_sheet_is_the_displayed_table_with_numbers_as_numbers(lang):
    exports = sample_exports(lang)
    year, clients, share, change, note = HEADERS[lang]
    flag = t("exports.flag_column", lang, column=clients)
    assert _data_rows(exports.xlsx()) == [
        [year, clients, flag, share, change, note],
        [2023, 1234, None, 12.5, -3, "ok"],
        [2024, "<5", "c", "..", 15, None],
        [2025, "x", "d", 8, 0, "a, b"],
    ]


@pytest.mark.parametrize("lang", LANGS)
def test_xlsx_has_the_five_sheets_with_their_content(lang):
    exports = sample_exports(lang)
    book = openpyxl.load_workbook(io.BytesIO(exports.xlsx()))
    names = [t(f"exports.sheet.{s}", lang) for s in ("data", "notes", "sources", "citation", "filters")]
    assert book.sheetnames == names
    notes = [row[0] for row in book[names[1]].iter_rows(values_only=True)]
    assert notes[0] == exports.spec.notes[0]
    meanings = flag_descriptions(lang, 5)  # the notation once, with the pages' meanings, since cells are hidden
    assert f"<5 (c): {meanings['c']}" in notes and f"x (d): {meanings['d']}" in notes
    assert not any(note.startswith(("<5:", "c:")) for note in notes)
    sources = dict(book[names[2]].iter_rows(values_only=True))
    assert sources[t("exports.data_version", lang)] == "7"
    assert sources[t("exports.permalink", lang)] == exports.ctx.permalink  # back to the view, for members
    assert sources[t("exports.public_link", lang)] == exports.ctx.public_link  # kept by the download
    assert sources[t("exports.licence", lang)] == "CC BY 4.0"
    citation = [row[1] for row in book[names[3]].iter_rows(values_only=True)]
    assert exports.ctx.public_link in citation[0] and exports.ctx.public_link in citation[1]
    filters = dict(list(book[names[4]].iter_rows(values_only=True))[1:])
    assert filters[t("exports.view.page", lang)] == t("nav.overview", lang)
    assert filters[t("exports.view.measure", lang)] == f"{t_measure(lang)} (PERS_NEW)"
    form = load_codebook().dimensions["exploitation_form"].label.get(lang)
    assert filters[form].endswith(" (SEX)") and " (LAB), " in filters[form]
    assert not set(filters) & {"page", "lang", "m", "v", "b", "exploitation_form"}  # labels, never the URL's keys


def t_measure(lang: str) -> str:
    return load_codebook().measures["PERS_NEW"].label.get(lang)


def test_every_choice_a_page_puts_in_its_address_has_a_label_in_the_filters_sheet():
    spec = sample_spec("sv")
    spec.view = {"page": "trends", "lang": "sv", "m": "PERS_NEW", "b": "exploitation_form.sex", "c": "LAB",
                 "s": "F,M", "p": "H", "u": "pct", "g": "bars", "lfl": "1", "years": "2019,2025", "v": "7"}  # fmt: skip
    rows = dict(citation.filters(spec, sample_context(spec)))
    assert set(VIEW_KEYS) >= set(spec.view) - {"v"}
    assert rows == {
        "Sida": "Utveckling",
        "Språk": "Svenska",
        "Mått": "Nya klienter (PERS_NEW)",
        "Indelning": "Form av utnyttjande (exploitation_form) × Kön (sex)",
        "Kategori": "Tvångsarbete / arbetskraftsexploatering (LAB)",
        "Visade serier": "kvinna (F), man (M)",
        "Perioder": "Halvår",
        "Enhet": "Andel",
        "Diagram": "Staplade staplar",
        "Endast jämförbara medlemmar": "ja",
        "År": "2019–2025",
        t("exports.data_version", "sv"): "7",
        t("exports.permalink", "sv"): rows[t("exports.permalink", "sv")],
    }


def _seeded(lang: str):
    """Labels, headers and notes that a spreadsheet would run as formulas, beside negative numbers."""
    cells = [["2023", "-7", text, "1"] for text in TRIGGERS]
    headers = ["=cmd|' /C calc'!A0", HEADERS[lang][3], "+label", "@count"]
    return sample_exports(lang, cells=cells, notes=TRIGGERS, headers=headers)


def _sheet_xml(xlsx: bytes) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(xlsx)) as archive:
        return {n: archive.read(n).decode() for n in archive.namelist() if n.startswith("xl/worksheets/sheet")}


@pytest.mark.parametrize("lang", LANGS)
def test_no_cell_of_the_xlsx_can_run_as_a_formula(lang):
    exports = _seeded(lang)
    sheets = _sheet_xml(exports.xlsx())
    assert len(sheets) == 5
    for xml in sheets.values():
        assert "<f>" not in xml and "<f " not in xml
        for cell in re.findall(r"<c [^>]*>", xml):
            assert 't="n"' in cell or 't="inlineStr"' in cell or 't="s"' in cell or "t=" not in cell, cell
    data = next(xml for name, xml in sheets.items() if name.endswith("sheet1.xml"))
    numbers = re.findall(r'<c r="B\d+" [^>]*t="n"[^>]*><v>(-?\d+)</v>', data)
    assert numbers == ["-7"] * len(TRIGGERS)  # negative numbers stay numbers
    text_cells = re.findall(r'<c r="C\d+" [^>]*t="inlineStr"', data)
    assert len(text_cells) == len(TRIGGERS) + 1  # every seeded label, and the header, is text
    book = openpyxl.load_workbook(io.BytesIO(exports.xlsx()))
    labels = [row[2] for row in book.worksheets[0].iter_rows(min_row=2, values_only=True)]
    # kept as text, exactly: openpyxl writes through lxml (python-docx's dependency), which keeps a CR as &#13;
    assert labels == list(TRIGGERS)


def _unescaped_triggers(csv_text: str, delimiter: str) -> list[str]:
    import csv

    bad = []
    for row in csv.reader(io.StringIO(csv_text), delimiter=delimiter):
        for cell in row:
            if cell.startswith(("=", "+", "-", "@", "\t", "\r")) and parse_number(cell) is None:
                bad.append(cell)
    return bad


@pytest.mark.parametrize("lang", LANGS)
def test_csv_text_cells_are_neutralised_and_negative_numbers_stay_numbers(lang):
    exports = _seeded(lang)
    plain = exports.csv().decode("utf-8")
    excel = exports.excel_csv().decode("utf-8-sig")
    for text, delimiter in ((plain, ","), (excel, ";")):
        assert _unescaped_triggers(text, delimiter) == []
        assert text.count(f"{delimiter}-7{delimiter}") == len(TRIGGERS)
    assert "'=HYPERLINK(" in plain and "'+1" in plain and "'@x" in plain and "'\tkielletty" in plain
    assert plain.startswith("'=cmd|' /C calc'!A0,")  # headers too


def test_neutralise_leaves_plain_text_alone():
    assert neutralise("Pakkotyö") == "Pakkotyö"
    assert neutralise("<5") == "<5"
    assert neutralise("-1") == "'-1"
    assert neutralise("\uff1dSUM(A1)") == "'\uff1dSUM(A1)"


@given(st.integers(min_value=-10_000_000, max_value=10_000_000))
def test_every_formatted_integer_reads_back(value):
    for lang in LANGS:
        assert parse_number(format_int(value, lang)) == value


@given(st.decimals(min_value=-100_000, max_value=100_000, places=1, allow_nan=False))
def test_every_formatted_decimal_and_percent_reads_back(value):
    for lang in LANGS:
        assert parse_number(format_number(float(value), lang)) == pytest.approx(float(value))
        assert parse_number(format_percent_value(float(value) / 100, lang, decimals=1)) == pytest.approx(float(value))


@pytest.mark.parametrize("text", ["2024H1", "18–29", "60+", "<5", "x", "..", "1 2 a", "", "12,5,5"])
def test_labels_and_markers_are_not_numbers(text):
    assert parse_number(text) is None
