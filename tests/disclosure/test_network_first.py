"""Like-for-like groups never cost the network its totals: the headline survives ordinary publications.

Seen before the fix: on the demo, four ordinary updated 2025 files made the 2025
national total of new clients hidden (secondary suppression forced by the groups),
and the carry rule then kept it hidden in every later version.
"""

from __future__ import annotations

from etl import load, snapshots
from tests.reliability.updates import update_files

NETWORK_TOTALS_HIDDEN = """
    SELECT measure, period, reason FROM published_cell
    WHERE subset = 'all' AND dim1 = '_T' AND dim2 = '_T' AND kind = 'Y' AND value IS NULL
      AND measure = 'PERS_NEW'
    ORDER BY measure, period
"""

GROUPS_OF_2025 = """
    SELECT DISTINCT value IS NULL, contains(flag, 'd'), reason FROM published_cell
    WHERE subset <> 'all' AND measure = 'PERS_NEW' AND year = 2025
"""


def test_the_network_total_of_every_year_stays_visible_after_ordinary_updates(demo_settings, tmp_path):
    files = update_files(demo_settings.data_dir, tmp_path / "files", 4)
    for path in files:
        result = load.load_bytes(path.read_bytes(), path.name, "test", demo_settings, publish_now=True)
        assert result.ok, [p.message("en") for p in result.problems[:3]]
    ref = snapshots.current(demo_settings)
    assert ref is not None and ref.version == 14
    with snapshots.open_snapshot(ref.path) as con:
        assert con.execute(NETWORK_TOTALS_HIDDEN).fetchall() == []
        groups = con.execute("SELECT DISTINCT subset FROM published_cell WHERE year = 2024").fetchall()
        withheld = con.execute(GROUPS_OF_2025).fetchall()
    assert len(groups) > 1  # like-for-like is still offered where it costs the network nothing
    # Where it is not, the group's year is there as hidden: a like-for-like chart shows a gap, not an end.
    assert withheld == [(True, True, "group")]
