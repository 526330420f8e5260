"""AppTest: the export menu under the Overview chart, with and without a browser, and permalinks over time."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.exports import browser
from dashboard.reading import data
from etl.config import get_settings
from etl.i18n import t
from etl.publish import public_figures
from etl.services.access import Role
from tests.helpers import publish_correction
from tests.signin import signed_in

APP = str(Path(__file__).resolve().parents[2] / "dashboard" / "app.py")
KEY = "exp-overview.new_clients_by_year"


def _run(params: dict[str, str]) -> AppTest:
    # a member lands on the Overview (staff land on the workspace home)
    at = signed_in(AppTest.from_file(APP, default_timeout=120), get_settings(), Role.MEMBER, "demo-tuki")
    for name, value in params.items():
        at.query_params[name] = value
    return at.run()


def _labels(at: AppTest) -> list[str]:
    return [button.label for button in at.get("download_button")]


def _permalink(at: AppTest) -> str:
    return next(code.value for code in at.code if code.value.startswith("http"))


def test_the_menu_offers_every_export_and_builds_the_pack(demo_settings):
    at = _run({"lang": "en"})
    assert not at.exception
    assert t("exports.menu.title", "en") in [e.label for e in at.expander]
    labels = _labels(at)
    for name in ("png", "svg", "pdf", "csv", "excel_csv", "xlsx", "alt_download"):
        assert t(f"exports.menu.{name}", "en") in labels
    codes = [code.value for code in at.code]
    assert any(code.startswith("Finnish Civil Society Platform") and "(2026)" in code for code in codes)
    assert _permalink(at) == "http://localhost:8501/overview?fig=overview.new_clients_by_year&lang=en&v=10"
    alt = at.text_area(key=f"{KEY}-alt-en-10")
    assert alt.value.startswith("Bar chart: New clients in the network per year.")


def test_the_pack_is_built_with_progress_and_then_offered(demo_settings):
    # Finnish: AppTest 1.67 reruns only the page script of an st.navigation app, so the sidebar's
    # language switch is not rendered on reruns and the session falls back to the default language.
    at = _run({"lang": "fi"})
    at.text_area(key=f"{KEY}-alt-fi-10").set_value("Oma kuvaus.").run()
    assert t("exports.menu.pack_download", "fi") not in _labels(at)
    at.button(key=f"{KEY}-pack-build").click().run()
    assert not at.exception
    status = at.get("status")[0]
    assert status.label == t("exports.progress.done", "fi")
    assert status.get("progress")
    assert t("exports.menu.pack_download", "fi") in _labels(at)


def test_without_a_browser_the_menu_says_how_to_install_one_and_the_rest_works(demo_settings, monkeypatch):
    monkeypatch.setenv("BROWSER_PATH", str(demo_settings.data_dir / "no-such-browser"))
    assert browser.find_browser() is None
    with pytest.raises(browser.BrowserMissing) as missing:
        browser.ExportServer.start()
    assert "apt-get install chromium" in missing.value.message("fi")
    assert "BROWSER_PATH" in missing.value.message("sv")

    at = _run({"lang": "fi"})
    assert not at.exception
    assert any(t("exports.no_browser", "fi", searched="")[:40] in info.value for info in at.info)
    labels = _labels(at)
    assert t("exports.menu.png", "fi") not in labels
    assert t("exports.menu.csv", "fi") in labels and t("exports.menu.xlsx", "fi") in labels
    at.button(key=f"{KEY}-pack-build").click().run()
    assert not at.exception
    assert t("exports.menu.pack_download", "fi") in _labels(at)
    assert at.metric[0].value  # the page itself is untouched


def _table(at: AppTest) -> list[list[str]]:
    return at.dataframe[0].value.astype(str).values.tolist()


def test_a_permalink_reproduces_the_figure_after_new_data_is_published(demo_settings):
    before = _run({"lang": "en"})
    link = _permalink(before)
    table_then = _table(before)
    bars_then = before.get("plotly_chart")[0].proto.spec

    version = publish_correction(demo_settings, "demo-tyo", "2025", extra=7)
    assert data.current_snapshot().version == version == 11

    params = {name: values[0] for name, values in parse_qs(urlsplit(link).query).items()}
    assert params == {"fig": "overview.new_clients_by_year", "lang": "en", "v": "10"}
    again = _run(params)
    assert not again.exception
    assert _table(again) == table_then  # identical numbers from the retained snapshot
    # the same figure (compared as data: a figure from the chart cache may order its JSON keys differently)
    assert json.loads(again.get("plotly_chart")[0].proto.spec) == json.loads(bars_then)
    notice = t("exports.version.newer", "en", version="10", published="", current="11", current_published="")
    assert any(info.value.startswith(notice.split(",")[0]) and "version 11" in info.value for info in again.info)
    assert _permalink(again) == link  # the same figure keeps its link and id

    latest = _run({"lang": "en"})
    assert _table(latest) != table_then  # today's view shows the new 2025 total
    assert not any("version 11" in info.value for info in latest.info)


def test_a_version_that_is_not_kept_is_said(demo_settings):
    at = _run({"lang": "sv", "v": "99"})
    assert not at.exception
    assert any(info.value == t("exports.version.not_kept", "sv", requested="99", version="10") for info in at.info)


def _citations(at, naming: str) -> list[str]:
    """The short and long citations on the page that name `naming`."""
    network = t("exports.network", "en")
    return [block.value for block in at.code if block.value.startswith(network) and naming in block.value]


def test_the_cite_tab_gives_the_public_link_and_makes_it(demo_settings):
    at = _run({"lang": "en"})
    link = next(code.value for code in at.code if "/f/TK-" in code.value)
    code = link.rsplit("/", 1)[1]
    assert link == f"http://localhost:8501/f/{code}" and code.startswith("TK-10-")
    assert not public_figures.is_public(demo_settings, code, "en")  # shown before it is made
    assert len(_citations(at, "fig=overview.new_clients_by_year&lang=en&v=10")) == 2  # no link that opens nothing
    at.button(key=f"{KEY}-public").click().run()
    assert not at.exception
    assert t("exports.public.made", "en") in [caption.value for caption in at.caption]
    assert len(_citations(at, link)) == 2  # now the link a reader without an account can open
    assert not _citations(at, "fig=overview.new_clients_by_year")
    meta = public_figures.read_meta(demo_settings, code, "en")
    assert meta is not None and meta["figure_id"] == "overview.new_clients_by_year" and meta["version"] == 10
    assert public_figures.read_file(demo_settings, code, "en", "figure.png")[:4] == b"\x89PNG"
