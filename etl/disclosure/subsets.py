"""Like-for-like member groups: a few fixed, nested groups per measure, protected with the network.

"Only members who reported in every period shown" would make a different group for
every span a person picks; two such groups differ by a member or two, and their
difference is those members' own figures. So each snapshot fixes, per measure and
kind of period (years, or half-years), a short chain of nested groups:

- the group of level `f` holds the members that reported every period from `f` to
  the latest published period (so, every period a view from `f` on shows);
- a level is kept only when it holds at least 3 members and at least 3 more than the
  previous level, and at most MAX_LEVELS are kept: the longest history and the most
  recent ones; a view starting in year F uses the largest level starting at or
  before F (its members reported every period the view shows, and more);
- levels publish the measure total and its one-dimension breakdowns, not crosses.

Each level's tables are published beside the network's and protected with them
(etl.disclosure.engine), which also withholds a level's table wherever it differs
from a neighbour by 1 or 2 members of that table.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pandas as pd

from etl.disclosure.rules import MIN_MEMBERS
from etl.disclosure.tables import HALVES, Subset

FAMILIES = {"Y": ("Y",), "H": HALVES}
MAX_LEVELS = 3  # per measure and kind of period: the longest history and the two most recent


@dataclass(frozen=True)
class Level:
    measure: str
    family: str  # "Y" or "H"
    first_year: int
    members: frozenset[str]

    @property
    def name(self) -> str:
        return f"lfl-{self.family}-{self.first_year}"

    def subset(self) -> Subset:
        """Published for the measure total and its one-dimension breakdowns (not crosses)."""
        return Subset(self.name, self.members, FAMILIES[self.family], self.measure, self.first_year, one_dimension=True)


def levels(coverage: pd.DataFrame) -> list[Level]:
    """The like-for-like levels of every measure, from who reported a total in which period.

    `coverage`: org_code, measure, year, kind (one row per member, measure and period reported).
    """
    out: list[Level] = []
    for (measure, family), rows in _by_family(coverage):
        periods = sorted(set(zip(rows["year"], rows["kind"], strict=True)))
        if not periods:
            continue
        reported = {
            org: set(zip(part["year"].tolist(), part["kind"].tolist(), strict=True))
            for org, part in rows.groupby("org_code")
        }
        previous: frozenset[str] = frozenset()
        chain = []
        for year in sorted({year for year, _ in periods}):
            span = {p for p in periods if p[0] >= year}
            group = frozenset(org for org, done in reported.items() if span <= done)
            if len(group) >= MIN_MEMBERS and len(group) - len(previous) >= MIN_MEMBERS:
                chain.append(Level(str(measure), family, int(year), group))
                previous = group
        out += chain[:1] + chain[1:][-(MAX_LEVELS - 1) :] if len(chain) > MAX_LEVELS else chain
    return out


def _by_family(coverage: pd.DataFrame) -> Iterator[tuple[tuple[str, str], pd.DataFrame]]:
    for family, kinds in FAMILIES.items():
        rows = coverage[coverage["kind"].isin(kinds)]
        for measure, part in rows.groupby("measure"):
            yield (str(measure), family), part


def choose(available: list[Level], measure: str, half_years: bool, first_year: int) -> Level | None:
    """The level a like-for-like view uses: the largest group whose members reported every period it shows."""
    family = "H" if half_years else "Y"
    fitting = [lv for lv in available if lv.measure == measure and lv.family == family and lv.first_year <= first_year]
    return max(fitting, key=lambda lv: lv.first_year, default=None)
