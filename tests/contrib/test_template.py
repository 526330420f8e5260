"""The member template: what it looks like, what the reader takes from it, and that it loads like a CSV."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from etl.codebook import TOTAL, load_codebook
from etl.demo.synthetic import consistent_cells, long_csv_bytes
from etl.intake.filled_template import fill_template, read_mapping, read_template
from etl.intake.problems import RejectedError
from etl.intake.screen import read_tables
from etl.intake.template import CODES_SHEET, build_workbook, write_template
from etl.warehouse import load
from etl.warehouse.writer import writer

VALID = Path(__file__).resolve().parent.parent / "fixtures" / "valid"


def _saved(workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _reopen(workbook):
    return openpyxl.load_workbook(io.BytesIO(_saved(workbook)))


@pytest.fixture(scope="module")
def template():
    return _reopen(build_workbook("testi", "2025H1", "fi", org_name="Testi ry"))


def test_every_allowed_cell_has_one_input_and_the_codes_sheet_maps_it(template):
    book = load_codebook()
    expected = set()
    for measure, combos in book.breakdowns.items():
        for dim1, dim2 in combos:
            codes1 = list(book.codes[dim1]) if dim1 != TOTAL else [TOTAL]
            codes2 = list(book.codes[dim2]) if dim2 != TOTAL else [TOTAL]
            expected |= {(measure, dim1, c1, dim2, c2) for c1 in codes1 for c2 in codes2}
    mapping = read_mapping(template)
    keys = [(c.measure, c.dim1, c.code1, c.dim2, c.code2) for c in mapping.cells]
    assert len(keys) == len(set(keys)) == len(expected)
    assert set(keys) == expected
    assert len({(c.sheet, c.cell) for c in mapping.cells}) == len(keys)
    assert (mapping.meta["organisation"], mapping.meta["period"], mapping.meta["lang"]) == ("testi", "2025H1", "fi")


def test_inputs_are_unlocked_whole_numbers_and_everything_else_is_protected(template):
    mapping = read_mapping(template)
    inputs = {(c.sheet, c.cell) for c in mapping.cells}
    assert template.sheetnames == ["Ohjeet", "Uudet asiakkaat", "Kansalaisuus", "Asiakkaat", "Muut luvut", CODES_SHEET]
    assert template[CODES_SHEET].sheet_state == "hidden"
    assert template.security.lockStructure
    for sheet in template.worksheets:
        assert sheet.protection.sheet, sheet.title
    for name in ("Uudet asiakkaat", "Kansalaisuus", "Asiakkaat", "Muut luvut"):
        sheet = template[name]
        whole = [v for v in sheet.data_validations.dataValidation if v.type == "whole"]
        assert len(whole) == 1 and whole[0].operator == "greaterThanOrEqual" and whole[0].formula1 == "0"
        validated = {cell for ranges in whole[0].sqref.ranges for cell in _cells(ranges)}
        mine = {cell for sheet_name, cell in inputs if sheet_name == name}
        assert validated == mine
        for row in sheet.iter_rows():
            for cell in row:
                if cell.coordinate in mine:
                    assert cell.protection.locked is False
                    assert cell.value is None  # empty until the member types
                elif isinstance(cell.value, str) and cell.value.startswith("="):
                    assert cell.protection.locked  # our running sums: locked, never read as data


def _cells(cell_range) -> list[str]:
    from openpyxl.utils import get_column_letter

    return [
        f"{get_column_letter(c)}{r}"
        for r in range(cell_range.min_row, cell_range.max_row + 1)
        for c in range(cell_range.min_col, cell_range.max_col + 1)
    ]


@pytest.mark.parametrize(
    ("lang", "sheet", "label"),
    [("fi", "Uudet asiakkaat", "Nainen"), ("sv", "Nya klienter", "kvinna"), ("en", "New clients", "female")],
)
def test_labels_are_in_the_members_language(lang, sheet, label):
    workbook = build_workbook("testi", "2025", lang)
    texts = {cell.value for row in workbook[sheet].iter_rows() for cell in row if isinstance(cell.value, str)}
    assert label in texts
    assert not any(text.startswith(("+", "-", "@")) for text in texts)


def test_write_template_makes_a_file(tmp_path):
    path = write_template("testi", "2025H1", "sv", tmp_path / "mall.xlsx", org_name="Test rf")
    workbook = openpyxl.load_workbook(path, read_only=True)
    assert "Nya klienter" in workbook.sheetnames


def test_the_reader_takes_only_the_input_cells(template):
    workbook = _reopen(template)
    mapping = read_mapping(workbook)
    total = next(c for c in mapping.cells if c.measure == "PERS_NEW" and c.dim1 == TOTAL)
    lab = next(
        c
        for c in mapping.cells
        if c.measure == "PERS_NEW" and c.dim1 == "exploitation_form" and c.code1 == "LAB" and c.dim2 == TOTAL
    )
    sheet = workbook[total.sheet]
    sheet[total.cell] = 12
    sheet[lab.cell] = 12
    sheet["A1"] = "muistiinpano: 999"  # a note over a label cell
    sheet["F7"] = 5  # a number typed beside the inputs
    tables = read_template(workbook)
    assert len(tables) == 1 and tables[0].sheet == total.sheet
    frame = tables[0].frame
    assert frame[["measure", "exploitation_form", "value", "_row", "_column"]].values.tolist() == [
        ["PERS_NEW", "", "12", "7", "B"],
        ["PERS_NEW", "LAB", "12", lab.cell[1:], "B"],
    ]


def test_status_cells_give_flags_and_not_collected():
    import pandas as pd

    workbook = build_workbook("testi", "2024H1", "en")
    columns = ["org_code", "period", "measure", "dim1", "code1", "dim2", "code2", "value", "flag"]
    cells = pd.DataFrame(
        [
            ("testi", "2024H1", "CONTACTS_ANON", "_T", "_T", "_T", "_T", 19, "E"),
            ("testi", "2024H1", "PERS_STOCK_END", "_T", "_T", "_T", "_T", None, ""),
        ],
        columns=columns,
    )
    fill_template(workbook, cells)
    mapping = read_mapping(workbook)
    status = {key: value for key, value in mapping.meta.items() if key.startswith("status:")}
    sheet, _, cell = status["status:PERS_STOCK_END"].rpartition("!")
    assert workbook[sheet.strip("'")][cell].value == "not collected"
    tables = read_template(_reopen(workbook))
    rows = [r for t in tables for r in t.frame[["measure", "value", "flag"]].values.tolist()]
    assert sorted(rows) == [["CONTACTS_ANON", "19", "E"], ["PERS_STOCK_END", "", ""]]


def test_a_damaged_codes_sheet_is_a_problem_not_a_crash():
    workbook = build_workbook("testi", "2024H1", "fi")
    workbook[CODES_SHEET]["B2"] = None  # the organisation
    with pytest.raises(RejectedError) as caught:
        read_template(_reopen(workbook))
    assert [p.code for p in caught.value.problems] == ["template_damaged"]


def test_the_intake_reader_hands_a_template_to_read_template(prepared):
    data = (VALID / "template_filled_fi.xlsx").read_bytes()
    tables = read_tables(data, prepared)
    assert [t.sheet for t in tables] == ["Uudet asiakkaat", "Asiakkaat", "Muut luvut"]


def _facts(settings, data: bytes, name: str) -> list[tuple]:
    result = load.load_bytes(data, name, "tester", settings)
    assert result.outcome == "loaded", [(p.code, p.row, p.column) for p in result.problems]
    ids = [s["id"] for s in result.submissions]
    with writer(settings) as con:
        return con.execute(
            "SELECT s.org_code, s.period, f.measure, f.dim1, f.code1, f.dim2, f.code2, f.value, f.flag "
            "FROM fact f JOIN submission s ON s.id = f.submission_id WHERE s.id IN (SELECT unnest(?)) ORDER BY ALL",
            [ids],
        ).fetchall()


VALID_FILES = sorted(p for p in VALID.iterdir() if p.is_file())


def test_every_valid_file_csv_xlsx_and_template_loads_to_the_same_facts(prepared, tmp_path):
    """The valid corpus (each encoding, delimiter, XLSX long, the filled template) through the real load path."""
    assert any(p.name.startswith("template_") for p in VALID_FILES) and len(VALID_FILES) >= 5
    import shutil

    from etl.config import Settings

    results = {}
    for k, path in enumerate(VALID_FILES):
        folder = tmp_path / f"copy{k}"
        shutil.copytree(prepared.data_dir, folder)
        results[path.name] = _facts(Settings(data_dir=folder), path.read_bytes(), path.name)
    first = results[VALID_FILES[0].name]
    assert len(first) == 8
    assert {name: facts == first for name, facts in results.items()} == dict.fromkeys(results, True)


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_a_big_filled_template_and_its_long_csv_load_to_identical_facts(prepared, tmp_path, lang):
    import shutil

    from etl.config import Settings

    cells = consistent_cells([("testi", "2024H2")], seed=11)
    workbook = build_workbook("testi", "2024H2", lang)
    fill_template(workbook, cells)
    as_csv = Settings(data_dir=tmp_path / "csv")
    shutil.copytree(prepared.data_dir, as_csv.data_dir)
    from_template = _facts(prepared, _saved(workbook), "pohja.xlsx")
    from_csv = _facts(as_csv, long_csv_bytes(cells), "pitka.csv")
    assert len(from_template) == len(cells) and from_template == from_csv


_TYPED = st.one_of(st.integers(min_value=0, max_value=10**6), st.sampled_from(["", " ", "12", "1 234", "<5", "x"]))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_the_reader_returns_exactly_the_typed_cells(template, data):
    mapping = read_mapping(template)
    chosen = data.draw(st.lists(st.sampled_from(mapping.cells), max_size=15, unique=True))
    values = [data.draw(_TYPED) for _ in chosen]
    try:  # typed into the shared template, and emptied again afterwards
        for cell, value in zip(chosen, values, strict=True):
            template[cell.sheet][cell.cell] = value
        tables = read_template(template)
    finally:
        for cell in chosen:
            template[cell.sheet][cell.cell] = None
    got = {(t.sheet, f"{r['_column']}{r['_row']}"): r["value"] for t in tables for r in t.frame.to_dict("records")}
    expected = {(c.sheet, c.cell): str(v).strip() for c, v in zip(chosen, values, strict=True) if str(v).strip()}
    assert got == expected
