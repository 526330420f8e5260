"""No output shows a raw small count: pages (AppTest), their figures, the gate, at several thresholds."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import data, gate
from etl import snapshots
from etl.config import get_settings
from etl.i18n import t
from tests.disclosure.builders import small_counts_data
from tests.disclosure.scan import scan_apptest

APP = Path(__file__).resolve().parents[2] / "dashboard" / "app.py"
PAGES = sorted((APP.parent / "pages").glob("*.py"))


@pytest.fixture
def small_counts(settings, monkeypatch, request):
    """A published warehouse full of 1-4 counts, protected at the threshold the test asks for."""
    threshold = getattr(request, "param", 5)
    monkeypatch.setenv("TILANNEKUVA_THRESHOLD", str(threshold))
    small_counts_data(get_settings())  # the settings as the environment now gives them
    return threshold


@pytest.mark.parametrize("small_counts", [3, 5, 10], indirect=True)
def test_published_cells_never_show_a_small_count(small_counts):
    threshold = small_counts
    ref = data.current_snapshot()
    with snapshots.open_snapshot(ref.path) as con:
        stored = con.execute("SELECT threshold FROM disclosure_meta").fetchone()[0]
        leaks = con.execute(
            "SELECT count(*) FROM published_cell WHERE value BETWEEN 1 AND ?", [threshold - 1]
        ).fetchone()[0]
        hidden = con.execute("SELECT count(*) FROM published_cell WHERE value IS NULL").fetchone()[0]
    assert stored == threshold
    assert leaks == 0
    assert hidden > 0


@pytest.mark.parametrize("small_counts", [3, 5, 10], indirect=True)
@pytest.mark.parametrize("page", PAGES, ids=[p.stem for p in PAGES])
def test_every_page_and_figure_is_free_of_small_counts(small_counts, page):
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.query_params["lang"] = "en"
    at.run()
    at.switch_page(str(page.relative_to(APP.parent)))
    at.run()
    assert not at.exception
    assert scan_apptest(at, small_counts, ignore={t("overview.members_reported", "en")}) == []
    shown = " ".join(str(v) for df in at.dataframe for v in df.value.to_numpy().ravel())
    captions = " ".join(caption.value for caption in at.caption)
    if page.stem == "overview":  # the sparse year (3 persons) is protected: `<t` or withheld `x`
        assert f"<{small_counts}" in shown or "x" in shown.split() or small_counts <= 3
    if f"<{small_counts}" in shown:
        assert f"<{small_counts} = " in captions  # the legend explains the symbol


@pytest.mark.parametrize("threshold", [3, 10])
def test_the_gate_honours_a_threshold_changed_after_publishing(settings, monkeypatch, threshold):
    small_counts_data(settings)  # protected at the default 5
    monkeypatch.setenv("TILANNEKUVA_THRESHOLD", str(threshold))
    ref = snapshots.current(settings)
    for view in (gate.View("PERS_NEW"), gate.View("PERS_NEW", "exploitation_form"), gate.View("PERS_NEW", "sex")):
        frame = gate.network(ref, view, margins=True)
        assert not frame["value"].between(1, threshold - 1).any()
        small = frame[frame["flag"].str.contains("c")]
        assert set(gate.display(small, "fi")) <= {f"<{threshold}"}
