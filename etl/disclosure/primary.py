"""The rules that hide a cell, or withhold a table, before secondary suppression (DATA-CONTRACT 8.1, 8.3, 8.5).

What a member knowing its own figures could learn from a published table is not a rule
here: the attackers of etl.disclosure.attackers include each member, so secondary
suppression covers it.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from etl.codebook import TOTAL
from etl.disclosure.epochs import epoch_keys
from etl.disclosure.nodes import Layer
from etl.disclosure.rules import CROSS_ROW_MIN, MIN_MEMBERS
from etl.disclosure.tables import ALL, HALVES, TABLE, Batch, rows_of

GROUP_TABLE = ["measure", "kind", "dim1", "dim2"]


def primary_reasons(cells: pd.DataFrame, facts: pd.DataFrame, batch: Batch, threshold: int) -> pd.Series:
    """Why each cell is hidden or withheld before secondary suppression (None when it is not)."""
    value = cells["value"]
    suppressing = [  # the later rule wins: a folded line's cells are not offered, small or not
        ("small", value.between(1, threshold - 1)),
        ("fold_row", _folded_lines(cells)),
    ]
    withholding = [  # a table not offered at all is withheld whole, whatever else applies
        ("members", (cells["members"] < MIN_MEMBERS) & value.notna()),
        ("group", _not_offered(cells, facts, batch)),
    ]
    reason = pd.Series(None, index=cells.index, dtype="object")
    for name, hit in [*suppressing, *reversed(withholding)]:
        reason = reason.mask(hit.fillna(False).astype(bool), name)
    return reason


def _folded_lines(cells: pd.DataFrame) -> pd.Series:
    """In a cross, a row (or column) under 10 whose persons all fall in one cell reveals their attribute."""
    return _cross_lines(cells, lambda total, nonzero: (total < CROSS_ROW_MIN) & (nonzero == 1))


def small_lines(cells: pd.DataFrame, threshold: int) -> pd.Series:
    """Cross rows and columns of 1..t-1 persons in all: their cells could only be `<t` and zeros.

    Each `<t` tells a member knowing its own figures "at least 1", and those bounds add up:
    the engine folds these lines (shows their totals only) before it would withhold the
    network's yearly crosses around them (in the demo's 2025, the sexes "other" and "not known").
    """
    return _cross_lines(cells, lambda total, nonzero: total < threshold)


def _cross_lines(cells: pd.DataFrame, rule: Callable[[pd.Series, pd.Series], pd.Series]) -> pd.Series:
    """The inner cells of the cross lines that hold anyone and meet `rule(line total, non-zero cells)`."""
    inner = cells[(cells["dim2"] != TOTAL) & (cells["code1"] != TOTAL) & (cells["code2"] != TOTAL)]
    hit = pd.Series(False, index=cells.index)
    for line in ("code1", "code2"):
        group = ["subset", *TABLE, line]
        stats = inner.assign(_pos=inner["value"].fillna(0) > 0).groupby(group)[["value", "_pos"]].transform("sum")
        folded = (stats["value"] > 0) & rule(stats["value"], stats["_pos"])
        hit.loc[folded[folded].index] = True
    return hit


def _not_offered(cells: pd.DataFrame, facts: pd.DataFrame, batch: Batch) -> pd.Series:
    """Tables whose member group differs from a published neighbour's by 1 or 2 members.

    Like-for-like groups are nested: for each table, walking from all members to the
    smallest group, a group is published only when it drops no member or at least 3.
    Half-year tables are published only when the members that report the table for
    the year alone number 0 or at least 3 (year - H1 - H2 is their sum).
    """
    out = np.zeros(len(cells), dtype=bool)
    sizes = cells.groupby(["subset", *TABLE])["members"].max()
    refused: set[tuple] = set()
    for table, by_subset in sizes.groupby(level=TABLE):
        ordered = by_subset.droplevel(TABLE).sort_values(ascending=False, kind="stable")
        kept = ordered.get(ALL, ordered.iloc[0])
        for subset, size in ordered.items():
            if subset == ALL or size == kept:
                continue
            if size >= MIN_MEMBERS and kept - size >= MIN_MEMBERS:
                kept = size
            else:
                refused.add((subset, *table))
    half_tables = _half_tables_not_offered(facts, batch)
    keys = rows_of(cells, ["subset", *TABLE])
    for i, (subset, measure, year, kind, dim1, dim2) in enumerate(keys):
        out[i] = (subset, measure, year, kind, dim1, dim2) in refused or (
            kind in HALVES and (measure, year, dim1, dim2) in half_tables
        )
    return pd.Series(out, index=cells.index)


def _half_tables_not_offered(facts: pd.DataFrame, batch: Batch) -> set[tuple]:
    reported = facts[facts["value"].notna() & ~facts["margin"]]
    out = set()
    for (measure, year, dim1, dim2), table in reported.groupby(["measure", "year", "dim1", "dim2"]):
        if batch.measures[measure].nature == "non_additive":
            continue
        year_rows = table["kind"] == "Y"
        yearly = set(table.loc[year_rows, "org_code"])
        derived = set(table.loc[year_rows & table["derived"].astype(bool), "org_code"])
        if not table["kind"].isin(HALVES).any():
            continue
        if 0 < len(yearly - derived) < MIN_MEMBERS:
            out.add((measure, year, dim1, dim2))
    return out


def withhold_changed_groups(earlier: list[Layer], current: Layer) -> None:
    """Withhold a like-for-like table whose group differs by 1 or 2 members from any published for that table.

    Across versions a group changes as members join or stop reporting: the difference
    between two versions' groups is those members' figures (DATA-CONTRACT 8.5), so a
    group is offered only when it is the same as, or differs by at least 3 members
    from, every group published for the table in this version or a retained one.
    Groups are compared by epoch: a member's revised figures count as a different member.
    """
    seen: dict[tuple, list[frozenset]] = {}
    withheld: dict[tuple, str] = {}
    for layer in earlier:
        keys = epoch_keys(layer.facts)
        _add_groups(seen, layer.cells[layer.cells["offered"]], keys)
        withheld.update(_withheld_groups(layer.cells[~layer.cells["offered"]], keys))
    cells = current.cells
    keys = epoch_keys(current.facts)
    _keep_withheld(cells, keys, withheld)
    offered = ~cells["reason"].isin(["members", "group", "unsafe", "empty"])
    _add_groups(seen, cells[offered & (cells["subset"] == ALL)], keys)
    groups = cells[offered & (cells["subset"] != ALL)].groupby(["subset", *GROUP_TABLE])
    refused = []
    for (subset, *table), rows in sorted(groups, key=lambda item: (-item[1]["members"].iloc[0], item[0])):
        group = frozenset(keys[org] for org in rows["orgs"].iloc[0])
        others = seen.setdefault(tuple(table), [])
        if any(1 <= len(group ^ other) <= 2 for other in others):
            refused.append((subset, *table))
        else:
            others.append(group)
    if refused:
        hit = pd.MultiIndex.from_frame(cells[["subset", *GROUP_TABLE]]).isin(refused)
        cells.loc[hit, "reason"] = "group"


def _withheld_groups(cells: pd.DataFrame, keys: dict[str, tuple]) -> dict[tuple, str]:
    """(subset, table, group) -> reason for the tables a version did not offer."""
    out = {}
    for table, rows in cells.groupby(["subset", *GROUP_TABLE]):
        group = frozenset(keys[org] for org in rows["orgs"].iloc[0] if org in keys)
        out[(*table, group)] = str(rows["reason"].iloc[0])
    return out


def _keep_withheld(cells: pd.DataFrame, keys: dict[str, tuple], withheld: dict[tuple, str]) -> None:
    """A table not offered before, with the same members' same figures, is not offered now either.

    Protecting it again would reach the same verdict; keeping it out makes an unchanged year a copy.
    """
    open_ = cells["reason"].isna() | ~cells["reason"].isin(["members", "group"])
    for table, rows in cells[open_].groupby(["subset", *GROUP_TABLE]):
        group = frozenset(keys[org] for org in rows["orgs"].iloc[0] if org in keys)
        reason = withheld.get((*table, group))
        if reason in ("unsafe", "empty"):
            cells.loc[rows.index, "reason"] = reason


def _add_groups(seen: dict[tuple, list[frozenset]], cells: pd.DataFrame, keys: dict[str, tuple]) -> None:
    for table, rows in cells.groupby(["subset", *GROUP_TABLE]):
        group = frozenset(keys[org] for org in rows["orgs"].iloc[0] if org in keys)
        seen.setdefault(tuple(table[1:]), []).append(group)
