"""From members' exact cells to the network tables that are published.

A *cluster* is everything published for one measure and one year: every breakdown,
its margins, the year and its halves, and each like-for-like member group. The
tables of a cluster share persons, so they are protected together
(etl.disclosure.engine); tables of different clusters share none, so a whole
snapshot is protected in one pass as many independent blocks.

A published cell sums the cells of the members of a *subset* that reported its
table: `all` members, or a like-for-like group (etl.disclosure.subsets).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from etl.codebook import OTHER_IN_GROUP, TOTAL, load_codebook
from etl.disclosure.rules import INPUT_FLAGS

KEY = ["measure", "year", "kind", "dim1", "code1", "dim2", "code2"]
TABLE = ["measure", "year", "kind", "dim1", "dim2"]
CELL = ["subset", *KEY]
ALL = "all"
KINDS = ("Y", "H1", "H2")
HALVES = ("H1", "H2")
CITIZENSHIP = "citizenship"
LABOUR = ("labour_sector", TOTAL)  # its cells sum to exploitation_form = LAB, not to the total
LABOUR_WHOLE = ("exploitation_form", "LAB")


@dataclass(frozen=True)
class Subset:
    """A group of members whose figures are published as tables of their own."""

    name: str  # "all", or "lfl-Y-2016" (like-for-like: yearly figures of members reporting since 2016)
    orgs: frozenset[str] | None = None  # None: every member
    kinds: tuple[str, ...] = KINDS  # the kinds of period published for this group
    measure: str | None = None  # None: every measure
    first_year: int = 0  # published for this year and later
    one_dimension: bool = False  # only the total and one-dimension breakdowns (no crosses)


@dataclass(frozen=True)
class MeasureInfo:
    nature: str  # additive | non_additive | stock
    multi_response: bool = False


@dataclass
class Batch:
    """The input of the protection: member cells of one or more clusters, and what earlier versions hid."""

    facts: (
        pd.DataFrame
    )  # org_code, measure, year, kind, dim1, code1, dim2, code2, value (NaN: not collected), flag, derived
    measures: dict[str, MeasureInfo]
    subsets: list[Subset] = field(default_factory=lambda: [Subset(ALL)])
    folded: frozenset[tuple[str, int, str]] = frozenset()  # (measure, year, country) folded before
    breaks: frozenset[tuple[str, int, str]] = frozenset()  # (measure, year, kind) that start a series break
    shown: frozenset[tuple[str, int, str]] = frozenset()  # (measure, year, country) an earlier version showed


def rows_of(frame: pd.DataFrame, columns: list[str]) -> Iterator[tuple[Any, ...]]:
    """Tuples of plain Python values, fast (iterating Arrow-backed columns one value at a time is slow)."""
    return zip(*(frame[c].tolist() for c in columns), strict=True)


def countries_to_fold(
    facts: pd.DataFrame,
    threshold: int,
    keep_folded: frozenset[tuple[str, int, str]],
    keep_shown: frozenset[tuple[str, int, str]] = frozenset(),
) -> set[tuple[str, int, str]]:
    """(measure, year, country) whose yearly network count is under the threshold (DATA-CONTRACT 8.3).

    The count is the measure's year figure over all members (with no year figures,
    the halves' sum). The choice sticks across versions of the same year: a country
    folded before stays folded, one shown before stays a row of its own (a small
    count then shows as `<t`), so every version's tables have the same rows.
    """
    if not (facts["dim1"].eq(CITIZENSHIP) | facts["dim2"].eq(CITIZENSHIP)).any():
        return set()
    book = load_codebook().codes[CITIZENSHIP]
    table = facts[facts["dim1"].eq(CITIZENSHIP) & facts["dim2"].eq(TOTAL)]
    has_year = table.groupby(["measure", "year"])["kind"].transform(lambda kinds: (kinds == "Y").any())
    counted = table[has_year.astype(bool) == table["kind"].eq("Y")]
    counts = counted.groupby(["measure", "year", "code1"])["value"].sum().to_dict()
    seen = pd.concat(
        [
            facts.loc[facts["dim1"].eq(CITIZENSHIP), ["measure", "year", "code1"]].set_axis(["m", "y", "c"], axis=1),
            facts.loc[facts["dim2"].eq(CITIZENSHIP), ["measure", "year", "code2"]].set_axis(["m", "y", "c"], axis=1),
        ]
    ).drop_duplicates()
    return {
        (m, int(y), c)
        for m, y, c in seen.itertuples(index=False)
        if c in book
        and len(c) == 2
        and book[c].parent in OTHER_IN_GROUP
        and (m, int(y), c) not in keep_shown
        and (counts.get((m, y, c), 0) < threshold or (m, int(y), c) in keep_folded)
    }


def fold(facts: pd.DataFrame, countries: set[tuple[str, int, str]]) -> pd.DataFrame:
    """Member cells with the given countries moved into their group's "other" code."""
    if not countries:
        return facts
    book = load_codebook().codes[CITIZENSHIP]
    out = facts.copy()
    for column, dim in (("code1", "dim1"), ("code2", "dim2")):
        keys = list(zip(out["measure"], out["year"].astype(int), out[column], strict=True))
        hit = out[dim].eq(CITIZENSHIP) & pd.Series([key in countries for key in keys], index=out.index)
        out.loc[hit, column] = out.loc[hit, column].map(lambda code: OTHER_IN_GROUP[book[code].parent])
    return _sum_rows(out, ["org_code", *KEY])


def with_margins(facts: pd.DataFrame) -> pd.DataFrame:
    """Each member's table margins as rows of their own (code `_T`): own totals, cross row/column sums."""
    parts = [facts.assign(margin=False)]
    one_d = facts[(facts["dim1"] != TOTAL) & (facts["dim2"] == TOTAL)]
    cross = facts[facts["dim2"] != TOTAL]
    group = ["org_code", *TABLE]
    if not one_d.empty:
        parts.append(_sum_rows(one_d, group).assign(margin=True, code1=TOTAL, code2=TOTAL))
    if not cross.empty:
        parts.append(_sum_rows(cross, [*group, "code1"]).assign(margin=True, code2=TOTAL))
        parts.append(_sum_rows(cross, [*group, "code2"]).assign(margin=True, code1=TOTAL))
        parts.append(_sum_rows(cross, group).assign(margin=True, code1=TOTAL, code2=TOTAL))
    return pd.concat(parts, ignore_index=True)


def _sum_rows(frame: pd.DataFrame, group: list[str]) -> pd.DataFrame:
    """Sum cells of one member: not collected (NaN) when any part is; flags kept as letters."""
    flags = frame["flag"].fillna("").astype(str)
    work = frame.assign(
        _null=frame["value"].isna(),
        _p=flags.str.contains("P", regex=False),
        _e=flags.str.contains("E", regex=False),
    )
    summed = work.groupby(group, sort=False).agg(
        value=("value", "sum"), _null=("_null", "any"), _p=("_p", "any"), _e=("_e", "any"), derived=("derived", "all")
    )
    summed["value"] = summed["value"].where(~summed["_null"])
    summed["flag"] = np.where(summed["_p"], "P", "") + np.where(summed["_e"], "E", "")
    return summed.drop(columns=["_null", "_p", "_e"]).reset_index()


def published_cells(facts: pd.DataFrame, subsets: list[Subset]) -> pd.DataFrame:
    """Every cell each subset publishes: network value, reporting members, data flags.

    `facts` carries margins (with_margins). A member reports a table when it sent
    a value in it; its missing rows of that table count as 0 (a country it saw
    nobody from). `members` is the number of members that reported the table.
    """
    reported = facts[facts["value"].notna()]
    reporters = reported.groupby(TABLE)["org_code"].agg(frozenset).to_dict()
    sums = _NetworkSums(facts)
    frames = [
        sums.over(mask).assign(subset=subset.name) for subset in subsets if (mask := _rows_of(facts, subset)).any()
    ]
    if not frames:
        return pd.DataFrame(columns=[*CELL, "value", "flag", "margin", "orgs", "members"])
    cells = pd.concat(frames, ignore_index=True)
    by_subset = {s.name: s.orgs for s in subsets}
    tables = rows_of(cells, TABLE)
    cells["orgs"] = [
        _members(reporters.get(table, frozenset()), by_subset[name])
        for table, name in zip(tables, cells["subset"], strict=True)
    ]
    cells["members"] = [len(orgs) for orgs in cells["orgs"]]
    return cells[[*CELL, "value", "flag", "margin", "orgs", "members"]]


def _rows_of(facts: pd.DataFrame, subset: Subset) -> np.ndarray:
    rows = facts["kind"].isin(subset.kinds) & (facts["year"] >= subset.first_year)
    if subset.measure is not None:
        rows &= facts["measure"] == subset.measure
    if subset.orgs is not None:
        rows &= facts["org_code"].isin(subset.orgs)
    if subset.one_dimension:
        rows &= facts["dim2"] == TOTAL
    return rows.to_numpy(dtype=bool)


class _NetworkSums:
    """Sums over members of any subset of the rows: the cells grouped once, each subset summed by counting.

    A cell is NaN only when no member has a value; data flags p, e when any member's cell has one.
    Cells come in the order of their first row in the subset.
    """

    def __init__(self, facts: pd.DataFrame) -> None:
        self.facts = facts
        # A row with a missing key part is in no cell (-1), as a groupby leaves it out.
        self.group = facts.groupby(KEY, sort=False).ngroup().fillna(-1).to_numpy(dtype="int64")
        self.groups = int(self.group.max(initial=-1)) + 1
        values = facts["value"].to_numpy(dtype=float)
        flags = facts["flag"].fillna("").astype(str)
        self.has_value = ~np.isnan(values)
        self.value = np.where(self.has_value, values, 0.0)
        self.provisional = flags.str.contains("P", regex=False).to_numpy(dtype=bool)
        self.estimated = flags.str.contains("E", regex=False).to_numpy(dtype=bool)

    def over(self, mask: np.ndarray) -> pd.DataFrame:
        rows = np.flatnonzero(mask & (self.group >= 0))
        group = self.group[rows]
        _, first = np.unique(group, return_index=True)
        first = np.sort(first)
        firsts, order = rows[first], group[first]

        def total(weights: np.ndarray) -> np.ndarray:
            return np.bincount(group, weights=weights[rows], minlength=self.groups)[order]

        value = np.where(total(self.has_value) > 0, total(self.value), np.nan)
        flag = np.where(total(self.provisional) > 0, INPUT_FLAGS["P"], "")
        flag = flag + np.where(total(self.estimated) > 0, INPUT_FLAGS["E"], "")
        out = self.facts.iloc[firsts][[*KEY, "margin"]].reset_index(drop=True)
        return out.assign(value=value, flag=flag)


def _members(reporters: frozenset[str], subset: frozenset[str] | None) -> frozenset[str]:
    return reporters if subset is None else reporters & subset
