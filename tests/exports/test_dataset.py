"""The whole-dataset download: every allowed table through the gate, as CSV and SDMX-CSV."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.exports import dataset
from dashboard.reading import data, gate
from etl.codebook import load_codebook
from etl.config import get_settings
from etl.i18n import t
from etl.publish import dataset as etl_dataset
from tests.signin import signed_in

APP = str(Path(__file__).resolve().parents[2] / "dashboard" / "app.py")


@pytest.fixture
def cells(demo_settings):
    return dataset.protected_cells(data.current_snapshot())


def _rows(data_bytes: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data_bytes.decode("utf-8"))))


def test_every_allowed_breakdown_passes_the_gate(cells):
    codebook = load_codebook()
    tables = set(zip(cells["measure"], cells["dim1"], cells["dim2"], strict=True))
    allowed = {(m, d1, d2) for m, pairs in codebook.breakdowns.items() for d1, d2 in pairs}
    assert tables <= allowed and len(tables) > 20
    assert set(cells["kind"]) == {"Y", "H1", "H2"}
    assert not cells["value"].between(1, 4).any()
    hidden = cells["flag"].str.contains("c")
    assert hidden.any() and cells.loc[hidden, "value"].isna().all()
    for half_years in (False, True):
        view = gate.View("PERS_NEW", "exploitation_form", half_years=half_years)
        expected = gate.network(data.current_snapshot(), view)
        got = cells[(cells["measure"] == "PERS_NEW") & (cells["dim1"] == "exploitation_form") & (cells["dim2"] == "_T")]
        got = got[got["kind"].isin(view.kinds)].sort_values(["year", "kind", "code1"]).reset_index(drop=True)
        expected = expected.sort_values(["year", "kind", "code1"]).reset_index(drop=True)
        assert len(got) == len(expected) and (half_years or len(got) > 10)
        assert got[gate.COLUMNS].astype(str).equals(expected[gate.COLUMNS].astype(str))


def test_csv_has_labels_in_the_language_and_empty_hidden_values(cells):
    rows = _rows(dataset.to_csv(cells, 10, "sv"))
    assert list(rows[0]) == dataset.CSV_COLUMNS
    assert len(rows) == len(cells)
    assert rows[0]["measure"] == "PERS_NEW" and rows[0]["measure_label"] == "Nya klienter"
    lab = next(r for r in rows if r["code1"] == "LAB" and r["dim2"] == "_T")
    assert lab["code1_label"] == "Tvångsarbete / arbetskraftsexploatering"
    small = [r for r in rows if "c" in r["flag"]]
    assert small and all(r["value"] == "" for r in small)
    assert {r["data_version"] for r in rows} == {"10"}


def test_sdmx_csv_marks_confidentiality_and_status(cells):
    rows = _rows(dataset.to_sdmx_csv(cells))
    header = list(rows[0])
    assert header[:3] == ["DATAFLOW", "FREQ", "MEASURE"]
    assert header[-5:] == ["TIME_PERIOD", "OBS_VALUE", "UNIT_MEASURE", "OBS_STATUS", "CONF_STATUS"]
    assert "EXPLOITATION_FORM" in header and "CITIZENSHIP" in header
    assert {r["DATAFLOW"] for r in rows} == {etl_dataset.DATAFLOW}
    confidential = [r for r in rows if r["CONF_STATUS"] == "C"]
    assert confidential and all(r["OBS_VALUE"] == "" for r in confidential)
    assert all(r["OBS_VALUE"] != "" for r in rows if r["CONF_STATUS"] == "F" and r["OBS_STATUS"] != "M")
    assert {r["FREQ"] for r in rows} == {"A", "S"}
    halves = {r["TIME_PERIOD"][-3:] for r in rows if r["FREQ"] == "S"}
    assert halves == {"-S1", "-S2"}
    assert "P" in {r["OBS_STATUS"] for r in rows}  # provisional figures keep their status
    lab = next(r for r in rows if r["EXPLOITATION_FORM"] == "LAB" and r["SEX"] == "_T")
    assert lab["MEASURE"] == "PERS_NEW" and lab["CITIZENSHIP"] == "_T" and lab["UNIT_MEASURE"] == "PS"


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_the_download_page_renders(demo_settings, lang):
    at = signed_in(AppTest.from_file(APP, default_timeout=120), get_settings()).run()
    at.switch_page("app_pages/data_download.py")
    at.session_state["lang"] = lang  # AppTest runs only the page after switch_page, not app.py's language switch
    at.run()
    assert not at.exception
    assert at.title[0].value == t("exports.dataset_page.title", lang)
    labels = [b.label for b in at.get("download_button")]
    assert labels == [t(f"exports.dataset_page.{k}", lang) for k in ("csv", "sdmx", "readme")]
    cells = dataset.protected_cells(data.current_snapshot())
    assert at.metric[0].value.replace("\u00a0", "") == str(len(cells))


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_the_readme_beside_the_dataset_names_source_licence_version_notation_and_the_demo(lang):
    from datetime import date, datetime

    text = etl_dataset.readme(10, datetime(2026, 3, 1, 10), date(2026, 12, 5), lang, 5, "CC BY 4.0", synthetic=True)
    assert t("exports.network", lang) in text and "(RIKU)" in text
    assert "CC BY 4.0" in text and " 10" in text.splitlines()[0] + text.splitlines()[1]
    assert t("exports.synthetic", lang) in text
    for symbol in ("- <5 (c): ", "- x (d): ", "- ..: ", "- 0: ", "- p: ", "- e: ", "- b: "):
        assert symbol in text  # DATA-CONTRACT 8.9: every symbol of the files, once, with one meaning
    assert not any(mark in text for mark in ("**", "`", "###", "| --- |", "test suite"))
    assert max(len(line) for line in text.splitlines()) <= 100
    real = etl_dataset.readme(10, datetime(2026, 3, 1, 10), date(2026, 12, 5), lang, 5, "CC BY 4.0", synthetic=False)
    assert t("exports.synthetic", lang) not in real
