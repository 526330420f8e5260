"""Results are cached per published version: a new publication shows at once, an old version stays reachable."""

from etl.publish import snapshots
from etl.warehouse import load
from tests.dashboard.expected import cells
from tests.helpers import chart_figures, long_csv, open_page


def _latest_bar(at) -> float:
    return chart_figures(at)[0]["data"][0]["y"][-1]


def test_a_new_publication_is_shown_at_once_and_a_permalink_keeps_the_old_one(demo_settings):
    before = open_page("overview.py", "en")
    old_total = _latest_bar(before)
    old_version = snapshots.current(demo_settings).version

    with snapshots.open_snapshot(snapshots.current(demo_settings).path) as con:
        sent = con.execute(
            "SELECT value FROM fact WHERE org_code = 'demo-tyo' AND period = '2025' AND measure = 'PERS_NEW' AND dim1 = '_T'"
        ).fetchone()[0]
    data = long_csv([f"demo-tyo;2025;PERS_NEW;;;{sent + 40};"])
    assert load.load_bytes(data, "korjaus.csv", "tester", demo_settings, publish_now=True).outcome == "loaded"

    after = open_page("overview.py", "en")  # same process: the shared caches are warm with the old version
    assert _latest_bar(after) == old_total + 40
    with snapshots.open_snapshot(snapshots.current(demo_settings).path) as con:
        assert _latest_bar(after) == cells(con, "PERS_NEW")[("2025", "_T", "_T")]

    permalink = open_page("overview.py", "en", {"v": str(old_version)})
    assert _latest_bar(permalink) == old_total
