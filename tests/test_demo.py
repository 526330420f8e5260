"""The synthetic demo data: deterministic, consistent, realistic, and loaded through the load path."""

import duckdb
import pytest

from etl.config import Settings
from etl.demo.build import demo_files
from etl.demo.fiction import ORGS
from etl.publish import snapshots


@pytest.fixture(scope="module")
def snap(demo_data_dir):
    ref = snapshots.current(Settings(data_dir=demo_data_dir))
    with snapshots.open_snapshot(ref.path) as con:
        yield con


def test_same_seed_same_bytes_other_seed_other_bytes():
    first = demo_files(2024)
    again = demo_files(2024)
    other = demo_files(7)
    assert [(f.name, f.data) for f in first] == [(f.name, f.data) for f in again]
    assert [f.data for f in first] != [f.data for f in other]


def test_about_twelve_members_over_ten_years(snap):
    assert len(ORGS) == 12
    years = snap.execute("SELECT min(year), max(year), count(DISTINCT org_code) FROM fact").fetchone()
    assert years == (2016, 2025, 12)
    assert snap.execute("SELECT count(*) FROM submission WHERE period = '2025H2'").fetchone()[0] > 0


def test_every_table_family_is_present(snap):
    present = set(snap.execute("SELECT DISTINCT measure, dim1, dim2 FROM fact_reported").fetchall())
    allowed = set(snap.execute("SELECT measure, dim1, dim2 FROM breakdown").fetchall())
    assert present == allowed


def test_one_dimension_breakdowns_sum_to_their_totals(snap):
    rows = snap.execute(
        """
        SELECT b.org_code, b.period, b.measure, b.dim1, sum(b.value) AS parts, any_value(t.value) AS total
        FROM fact_reported b
        JOIN fact_reported t ON t.org_code = b.org_code AND t.period = b.period AND t.measure = b.measure AND t.dim1 = '_T'
        JOIN measure m ON m.code = b.measure
        WHERE b.dim1 NOT IN ('_T', 'labour_sector') AND b.dim2 = '_T' AND NOT m.multi_response
        GROUP BY ALL
        HAVING parts IS DISTINCT FROM total
        """
    ).fetchall()
    checked = snap.execute("SELECT count(*) FROM fact_reported WHERE dim1 NOT IN ('_T') AND dim2 = '_T'").fetchone()[0]
    assert checked > 1000
    assert rows == []


def test_crosses_sum_to_their_margins(snap):
    rows = snap.execute(
        """
        SELECT c.org_code, c.period, c.dim1, c.code1, c.dim2, sum(c.value) AS parts, any_value(m.value) AS margin
        FROM fact_reported c
        JOIN fact_reported m ON m.org_code = c.org_code AND m.period = c.period AND m.measure = c.measure
             AND m.dim1 = c.dim1 AND m.code1 = c.code1 AND m.dim2 = '_T'
        WHERE c.dim2 <> '_T'
        GROUP BY ALL
        HAVING parts IS DISTINCT FROM margin
        """
    ).fetchall()
    assert rows == []


def test_labour_sectors_sum_to_forced_labour(snap):
    rows = snap.execute(
        """
        SELECT s.org_code, s.period, sum(s.value) AS sectors, any_value(l.value) AS lab
        FROM fact_reported s
        JOIN fact_reported l ON l.org_code = s.org_code AND l.period = s.period AND l.measure = s.measure
             AND l.dim1 = 'exploitation_form' AND l.code1 = 'LAB' AND l.dim2 = '_T'
        WHERE s.measure = 'PERS_NEW' AND s.dim1 = 'labour_sector'
        GROUP BY ALL HAVING sectors IS DISTINCT FROM lab
        """
    ).fetchall()
    assert rows == []


def test_small_counts_exist_to_exercise_protection(snap):
    small = snap.execute("SELECT count(*) FROM fact WHERE value BETWEEN 1 AND 4").fetchone()[0]
    assert small > 100


def test_realistic_magnitudes(snap):
    totals = dict(
        snap.execute(
            "SELECT year, sum(value) FROM fact WHERE measure = 'PERS_NEW' AND dim1 = '_T' AND kind = 'Y' GROUP BY year"
        ).fetchall()
    )
    assert all(100 <= total <= 600 for total in totals.values()), totals
    forms = snap.execute(
        "SELECT code1 FROM fact WHERE measure = 'PERS_NEW' AND dim1 = 'exploitation_form' AND dim2 = '_T' AND kind = 'Y' "
        "GROUP BY code1 ORDER BY sum(value) DESC LIMIT 3"
    ).fetchall()
    assert [code for (code,) in forms] == ["LAB", "SEX", "MAR"]


def test_some_members_missed_periods(snap):
    gaps = snap.execute(
        """
        SELECT count(*) FROM organisation o, range(2016, 2026) AS y(year)
        WHERE year(o.active_from) <= y.year AND (o.active_to IS NULL OR year(o.active_to) >= y.year)
          AND NOT EXISTS (SELECT 1 FROM submission s JOIN period p ON p.code = s.period
                          WHERE s.org_code = o.code AND p.year = y.year)
        """
    ).fetchone()[0]
    assert gaps >= 3


def test_year_is_built_from_halves_for_additive_measures(snap):
    row = snap.execute(
        """
        SELECT y.value, h.total FROM fact y
        JOIN (SELECT org_code, year, sum(value) total FROM fact_reported
              WHERE measure = 'PERS_NEW' AND dim1 = '_T' AND kind IN ('H1', 'H2') GROUP BY ALL HAVING count(*) = 2) h
          ON h.org_code = y.org_code AND h.year = y.year
        WHERE y.measure = 'PERS_NEW' AND y.dim1 = '_T' AND y.kind = 'Y' AND y.derived
        LIMIT 1
        """
    ).fetchone()
    assert row is not None and row[0] == row[1]


def test_context_and_labels(snap):
    assert snap.execute("SELECT dataset FROM meta").fetchone()[0] == "synthetic-demo"
    assert snap.execute("SELECT count(*) FROM period_note WHERE period = '2023' AND kind = 'break'").fetchone()[0] == 1
    assert (
        snap.execute(
            "SELECT value FROM reference_value WHERE series = 'NAS_NEW_ADMITTED' AND period = '2022'"
        ).fetchone()[0]
        == 367
    )
    names = [name for (name,) in snap.execute("SELECT name_fi FROM organisation").fetchall()]
    assert all("(demo)" in name for name in names)


def test_loaded_through_the_load_path(demo_data_dir):
    settings = Settings(data_dir=demo_data_dir)
    raw = list(settings.raw_dir.glob("*.csv"))
    with duckdb.connect(str(settings.warehouse_path), read_only=True) as con:
        loads = con.execute("SELECT count(*) FROM audit_log WHERE action = 'load' AND outcome = 'loaded'").fetchone()[0]
        revised = con.execute("SELECT count(*) FROM submission WHERE status = 'superseded'").fetchone()[0]
    assert len(raw) == loads == len(demo_files(settings.demo_seed))
    assert revised >= 1  # the corrected resend replaced an earlier version
