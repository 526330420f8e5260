"""AppTest: the Overview renders in every language and shows the network total of the latest year."""

from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboard.app_pages.helpers import overview
from dashboard.reading import data
from etl.config import get_settings
from etl.i18n import format_int, t
from etl.publish import snapshots
from tests.helpers import chart_figures, use_data_dir
from tests.signin import signed_in

APP = str(Path(__file__).resolve().parents[2] / "dashboard" / "app.py")


def _run(lang: str | None, timeout: int = 60) -> AppTest:
    at = signed_in(AppTest.from_file(APP, default_timeout=timeout), get_settings())  # the Overview needs a reader
    if lang:
        at.query_params["lang"] = lang
    at.run()  # the coordinator lands on the workspace home
    return at.switch_page("app_pages/overview.py").run()


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_overview_renders_in_each_language(demo_settings, lang):
    at = _run(lang)
    assert not at.exception
    assert at.title[0].value == t("overview.title", lang)
    latest = data.run_query(data.current_snapshot().path, "network_new_clients_by_year").iloc[-1]
    metric = at.metric[0]
    assert metric.label == t("overview.metric_latest", lang, year=str(int(latest["year"])))
    assert metric.value == format_int(int(latest["value"]), lang)
    captions = " ".join(c.value for c in at.caption)
    assert t("common.caveat", lang) in captions
    assert t("common.data_version", lang, version="10", date="").split(",")[0] in captions
    assert any(t("common.synthetic_banner", lang) == w.value for w in at.warning)


def test_finnish_is_the_default(demo_settings):
    at = _run(None)
    assert at.title[0].value == t("overview.title", "fi")


def test_the_chart_carries_the_yearly_totals(demo_settings):
    at = _run("en")
    bars = chart_figures(at)[0]["data"][0]
    expected = data.run_query(data.current_snapshot().path, "network_new_clients_by_year")
    assert bars["x"] == expected["year"].astype(str).tolist()
    assert len(expected) == 10
    with snapshots.open_snapshot(data.current_snapshot().path) as con:
        published = dict(
            con.execute(
                "SELECT year, value FROM published_cell WHERE subset = 'all' AND measure = 'PERS_NEW' "
                "AND kind = 'Y' AND dim1 = '_T' AND dim2 = '_T'"
            ).fetchall()
        )
    # each bar is the year's total as summed from the members, or a gap where protection hid it
    totals = zip(expected["year"], expected["value"], strict=True)
    assert bars["y"] == [value if published[year] is not None else None for year, value in totals]
    assert sum(v is not None for v in bars["y"]) >= 8


def test_small_network_counts_show_as_below_threshold(tiny_warehouse, tmp_path, monkeypatch):
    # the tiny warehouse, because the first page after a threshold change protects every version again
    use_data_dir(tmp_path / "data", monkeypatch, copy_of=tiny_warehouse)
    monkeypatch.setenv("TILANNEKUVA_THRESHOLD", "1000")  # every yearly total is now "small"
    at = _run("fi")
    assert at.metric[0].value == "<1000"
    assert t("empty.all_hidden", "fi") in [i.value for i in at.info]  # said, instead of an empty axis


def test_empty_warehouse_says_why(settings):
    at = _run("en")
    assert not at.exception
    assert at.info[0].value == t("common.no_data_yet", "en")


def _yearly(members_before: int) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "year": [2024, 2025],
            "value": pd.array([348, 403], dtype="Int64"),
            "display": ["348", "403"],
            "members": [members_before, 11],
        }
    )


def test_the_change_says_when_another_number_of_members_reported():
    same = overview.new_clients(_yearly(11), "en")
    assert (same.delta, same.note) == ("+55 from 2024", None)
    grown = overview.new_clients(_yearly(9), "en")
    assert grown.delta == "+55 from 2024"
    assert grown.note == (
        "The change from 2024 is partly a change in who reports: 11 members reported for 2025, 9 for 2024."
    )
    assert "vuodelta 2025 raportoi 11 jäsentä, vuodelta 2024 9" in str(overview.new_clients(_yearly(9), "fi").note)
