"""The dataset N times the demo (benchmarks): deterministic, valid through the load path, the size asked for."""

from __future__ import annotations

import math

from etl.demo.scaled import CELLS_PER_PERIOD, members_for, reported_cells, year_file
from etl.demo.synthetic import consistent_cells
from etl.publish import snapshots


def test_a_period_holds_the_cells_the_sizing_counts_on():
    assert len(consistent_cells([("x", "2020")])) == CELLS_PER_PERIOD


def test_members_are_added_until_the_cells_are_reached_half_yearly_and_yearly_by_turns():
    assert members_for(0) == []
    one = members_for(1)
    assert [(m.code, m.half_yearly) for m in one] == [("synth-0001", True)]
    many = members_for(100 * 10 * CELLS_PER_PERIOD)  # a hundred members' years, at 1.5 periods a year
    cells = sum(m.periods_a_year * 10 * CELLS_PER_PERIOD for m in many)
    assert len(many) == 67 and cells >= 100 * 10 * CELLS_PER_PERIOD
    assert [m.half_yearly for m in many[:4]] == [True, False, True, False]
    assert len({m.code for m in many}) == len(many)


def test_the_same_seed_gives_the_same_bytes():
    members = members_for(3 * 10 * CELLS_PER_PERIOD)
    assert year_file(members, 2020, 2024) == year_file(members, 2020, 2024)
    assert year_file(members, 2020, 2024) != year_file(members, 2021, 2024)
    assert year_file(members, 2020, 2024) != year_file(members, 2020, 7)


def test_growing_a_warehouse_loads_every_file_and_publishes_once(tiny_settings):
    # the tiny warehouse: growing the demo itself protects ten years again (make bench does that)
    from etl.demo.scaled import grow

    before = reported_cells(tiny_settings)
    first = snapshots.current(tiny_settings)
    assert first is not None
    version = grow(tiny_settings, scale=3)
    assert version == first.version + 1  # one publication for every file
    added = reported_cells(tiny_settings) - before
    assert added >= 2 * before  # at least the scale asked for
    assert added < 2 * before + 20 * CELLS_PER_PERIOD  # and less than one more member's ten years over it
    ref = snapshots.current(tiny_settings)
    assert ref is not None
    with snapshots.open_snapshot(ref.path) as con:
        orgs, years = con.execute(
            "SELECT count(DISTINCT org_code), count(DISTINCT period[:4]) FROM fact_reported WHERE org_code LIKE 'synth-%'"
        ).fetchone()
    assert orgs == len(members_for(math.ceil((3 - 1) * before)))  # as grow() sizes it
    assert years == 10  # every year's file was loaded
