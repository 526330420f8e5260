"""Results are cached per published version: a new publication shows at once, an old version stays reachable."""

from etl.publish import snapshots
from tests.dashboard.expected import cells
from tests.helpers import chart_figures, open_page, publish_correction


def _latest_bar(at) -> float:
    return chart_figures(at)[0]["data"][0]["y"][-1]


def test_a_new_publication_is_shown_at_once_and_a_permalink_keeps_the_old_one(demo_settings):
    before = open_page("overview.py", "en")
    old_total = _latest_bar(before)
    old_version = snapshots.current(demo_settings).version

    publish_correction(demo_settings, "demo-tyo", "2025", extra=40)

    after = open_page("overview.py", "en")  # same process: the shared caches are warm with the old version
    assert _latest_bar(after) == old_total + 40
    with snapshots.open_snapshot(snapshots.current(demo_settings).path) as con:
        assert _latest_bar(after) == cells(con, "PERS_NEW")[("2025", "_T", "_T")]

    permalink = open_page("overview.py", "en", {"v": str(old_version)})
    assert _latest_bar(permalink) == old_total


def test_two_empty_frames_keep_their_own_reason_through_the_cache():
    """A withheld table and one nobody reported are both empty frames: the chart cache must not give one
    the other's reason (Streamlit's frame key leaves out `attrs`, where the gate says what is withheld)."""
    import pandas as pd

    from dashboard.presenting import charts, series

    columns = {"period": [], "year": [], "kind": [], "code1": [], "code2": [], "value": [], "flag": []}
    nobody = pd.DataFrame(columns)
    withheld = pd.DataFrame(columns)
    withheld.attrs["withheld"] = ["2025"]
    assert series.empty_reason(charts.displayed(nobody, "en")) == "empty.no_data"
    assert series.empty_reason(charts.displayed(withheld, "en")) == "empty.not_offered"
    assert series.empty_reason(charts.displayed(nobody, "en")) == "empty.no_data"
