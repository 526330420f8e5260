"""Empty states say why, instead of drawing an empty axis (on the tiny warehouse: 3 members, 2023-2024)."""

import pytest

from etl.i18n import t
from tests.helpers import chart_figures, open_page


@pytest.fixture
def tiny(tiny_warehouse, monkeypatch):
    monkeypatch.setenv("TILANNEKUVA_DATA_DIR", str(tiny_warehouse))
    monkeypatch.delenv("TILANNEKUVA_THRESHOLD", raising=False)
    return tiny_warehouse


def _infos(at) -> list[str]:
    return [i.value for i in at.info]


def test_a_measure_nobody_reported_says_so(tiny):
    at = open_page("trends.py", "en", {"m": "REPORTED_POLICE"})
    assert not at.exception
    assert t("empty.no_data", "en") in _infos(at)
    assert chart_figures(at) == []


def test_a_view_hidden_entirely_by_protection_says_so(tiny, monkeypatch):
    monkeypatch.setenv("TILANNEKUVA_THRESHOLD", "50")  # every count of the tiny warehouse is now small
    at = open_page("trends.py", "en", {"b": "exploitation_form"})
    assert not at.exception
    assert t("empty.all_hidden", "en") in _infos(at)
    assert chart_figures(at) == []


@pytest.mark.parametrize(
    "page", ["overview.py", "who.py", "forms.py", "pathways.py", "support.py", "context.py", "methods.py"]
)
def test_pages_with_little_data_explain_the_gaps(tiny, page):
    """Most breakdowns were never sent in the tiny warehouse: every page still renders and says why."""
    at = open_page(page, "sv")
    assert not at.exception, [e.value for e in at.exception]
    reasons = {t(key, "sv") for key in ("empty.no_data", "empty.all_hidden", "empty.nobody_reported")}
    assert chart_figures(at) or reasons & set(_infos(at))
