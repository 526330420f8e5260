"""The benchmarks' files of the next publications are valid files a member might send."""

from bench.harness.updates import partial_file
from etl.publish import snapshots
from etl.warehouse import load


def test_a_partial_file_loads_with_its_two_cells_and_leaves_the_other_tables_out(tiny_settings, tmp_path):
    path = partial_file(tiny_settings.data_dir, tmp_path, "alfa", "2023", 40)
    result = load.load_bytes(path.read_bytes(), path.name, "bench", tiny_settings, publish_now=True)
    assert result.outcome == "loaded", [p.message("en") for p in result.problems]
    with snapshots.open_snapshot(snapshots.current(tiny_settings).path) as con:
        rows = con.execute(
            "SELECT measure, dim1, code1, value FROM fact_reported WHERE org_code = 'alfa' AND period = '2023' ORDER BY ALL"
        ).fetchall()
    # new clients 40, all labour; the other measures' totals as published; the rest (sex split, services) left out
    assert rows == [
        ("FIRST_CONTACT_BEFORE_AUTH", "_T", "_T", 4),
        ("PERS_NEW", "_T", "_T", 40),
        ("PERS_NEW", "exploitation_form", "LAB", 40),
    ]
