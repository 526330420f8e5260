"""A synthetic dataset N times the size of the demo, for benchmarks: the demo plus fictional members.

The demo is built first (its members, accounts and figures stay as they are), then
enough fictional members are added, each reporting every table family for every
year 2016-2025 (half of them by half-year), that the published reported cells are
N times the demo's. Their counts come from `etl.demo.synthetic.consistent_cells`, so every
rule of the contract holds, and they go through the real load path: one file per
year holding every new member's periods, then one publication. Same seed, same
bytes, same dataset.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import duckdb

from etl.config import Settings
from etl.demo.fiction import FIRST_YEAR, LAST_YEAR
from etl.demo.synthetic import consistent_cells, long_csv_bytes
from etl.publish import snapshots
from etl.publish import versions as publish
from etl.warehouse import load, organisations
from etl.warehouse.writer import writer

ORG_TYPES = ("VICTIM_SUPPORT", "LABOUR", "SHELTER", "MIGRANT", "HEALTH_SOCIAL", "LEGAL", "FAITH")
CELLS_PER_PERIOD = 499  # consistent_cells: every table family of one (organisation, period)
MEMBER_SIZE = 12.0  # expected new clients of a fictional member per period, about a small demo member's


@dataclass(frozen=True)
class ScaledMember:
    code: str
    half_yearly: bool
    org_type: str

    @property
    def periods_a_year(self) -> int:
        return 2 if self.half_yearly else 1

    def organisation(self) -> organisations.Organisation:
        number = self.code.rsplit("-", 1)[1]
        return organisations.Organisation(
            self.code,
            f"Synteettinen jäsen {number}",
            f"Syntetisk medlem {number}",
            f"Synthetic member {number}",
            self.org_type,
            date(FIRST_YEAR, 1, 1),
        )

    def periods(self, year: int) -> list[str]:
        return [f"{year}H1", f"{year}H2"] if self.half_yearly else [str(year)]


def members_for(extra_cells: int) -> list[ScaledMember]:
    """Fictional members, half-yearly and yearly by turns, whose ten years hold at least `extra_cells` cells."""
    years = LAST_YEAR - FIRST_YEAR + 1
    members: list[ScaledMember] = []
    cells = 0
    while cells < extra_cells:
        number = len(members) + 1
        member = ScaledMember(f"synth-{number:04d}", number % 2 == 1, ORG_TYPES[number % len(ORG_TYPES)])
        members.append(member)
        cells += member.periods_a_year * years * CELLS_PER_PERIOD
    return members


def year_file(members: list[ScaledMember], year: int, seed: int) -> bytes:
    """One long CSV with every fictional member's periods of `year`."""
    keys = [(m.code, period) for m in members for period in m.periods(year)]
    return long_csv_bytes(consistent_cells(keys, seed=seed * 10_000 + year, size=MEMBER_SIZE))


def reported_cells(settings: Settings) -> int:
    """Published reported cells (the snapshot's fact_reported rows) of the current version."""
    ref = snapshots.current(settings)
    if ref is None:
        return 0
    with snapshots.open_snapshot(ref.path) as con:
        row = con.execute("SELECT count(*) FROM fact_reported").fetchone()
    return int(row[0]) if row else 0


def _load_year(con: duckdb.DuckDBPyConnection, settings: Settings, data: bytes, year: int) -> None:
    result = load.load_into(con, settings, data, f"synthetic-{year}.csv", "scaled", today=date(year + 1, 2, 1))
    if not result.ok:
        details = "; ".join(f"{p.location('en')}: {p.message('en')}" for p in result.problems[:5])
        raise RuntimeError(f"synthetic file of {year} was rejected: {details}")


def grow(settings: Settings, scale: float, progress: Callable[[int], None] | None = None) -> int:
    """Add fictional members to the published demo until it holds `scale` times its reported cells; publish once."""
    demo_cells = reported_cells(settings)
    members = members_for(math.ceil((scale - 1) * demo_cells))
    with writer(settings, what="scaled") as con:
        for member in members:
            organisations.add(con, member.organisation(), actor="scaled")
        for year in range(FIRST_YEAR, LAST_YEAR + 1):
            _load_year(con, settings, year_file(members, year, settings.demo_seed), year)
            if progress:
                progress(year)
        version = publish.publish_drafts(con, settings, "scaled", note=f"{scale:g}x the demo")
    assert version is not None
    return version
