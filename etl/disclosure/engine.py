"""Protect every published table together: DATA-CONTRACT 8, as one deterministic pass.

1. Primary rules on each cell: small counts (c); cells hidden in an earlier version
   of the same period (c or d); cells where one member holds all but
   1..threshold-1 persons, so that member would learn the rest of the network (d);
   cross rows and columns under 10 that fall in one cell (d). Tables of fewer than
   3 members, and like-for-like or half-year tables whose member group differs from
   a published neighbour's by 1 or 2 members, are withheld whole (d).
2. Secondary suppression: the tables become a system of exact relations
   (etl.disclosure.system). The built-in attacker (etl.disclosure.exposure:
   subtraction, counts >= 0, bound propagation; then etl.disclosure.lp: linear
   programming) finds each hidden cell, or unpublished small member group, it can
   pin down; a visible cell on that derivation is hidden too: a like-for-like or
   half-year cell before a network year cell, an inner cell before a total, the
   smallest non-zero count first. Repeat to a fixed point.

Tables of different measures or years share no relation, so one call protects a
whole snapshot as independent blocks.
"""

from __future__ import annotations

from itertools import pairwise

import numpy as np
import pandas as pd

from etl.codebook import TOTAL
from etl.disclosure import exposure, lp
from etl.disclosure.rules import CROSS_ROW_MIN, FLAG_BREAK, FLAG_SECONDARY, FLAG_SMALL, MIN_MEMBERS, join_flags
from etl.disclosure.system import System, build_system
from etl.disclosure.tables import (
    ALL,
    CELL,
    HALVES,
    KEY,
    TABLE,
    Batch,
    fold_countries,
    member_matrix,
    published_cells,
    rows_of,
    with_margins,
)

OUTPUT = ["subset", "period", *KEY, "value", "flag", "members", "reason"]
WITHHOLDING = ("members", "group")  # whole tables not offered: only the member groups they reveal are protected


def protect(batch: Batch, threshold: int) -> pd.DataFrame:
    """The published cells with every rule applied (columns OUTPUT, value <NA> when hidden)."""
    facts, _ = fold_countries(batch.facts, threshold, batch.folded)
    facts = with_margins(facts)
    cells = published_cells(facts, batch.subsets)
    if cells.empty:
        return pd.DataFrame(columns=OUTPUT)
    cells["reason"] = primary_reasons(cells, facts, batch, threshold)
    system = build_system(cells, facts, batch, threshold)
    hidden = secondary(system, threshold)
    return _output(cells, system, hidden, batch, threshold)


def folded_countries(batch: Batch, threshold: int) -> set[tuple[str, int, str]]:
    """(measure, year, country) folded into "other" (kept so later versions fold them too)."""
    return fold_countries(batch.facts, threshold, batch.folded)[1]


# --- primary rules ---------------------------------------------------------------------------


def primary_reasons(cells: pd.DataFrame, facts: pd.DataFrame, batch: Batch, threshold: int) -> pd.Series:
    """Why each cell is hidden before secondary suppression (None when it is not)."""
    value = cells["value"]
    suppressing = [
        ("small", value.between(1, threshold - 1)),
        ("carried", _carried(cells, batch)),
        ("dominance", _dominated(cells, facts, threshold)),
        ("fold_row", _folded_rows(cells)),
    ]
    withholding = [  # a table not offered at all is withheld whole, whatever else applies
        ("members", (cells["members"] < MIN_MEMBERS) & value.notna()),
        ("group", _not_offered(cells, facts, batch)),
    ]
    reason = pd.Series(None, index=cells.index, dtype="object")
    for name, hit in [*reversed(suppressing), *reversed(withholding)]:
        reason = reason.mask(hit.fillna(False).astype(bool), name)
    return reason


def _carried(cells: pd.DataFrame, batch: Batch) -> pd.Series:
    if not batch.carried:
        return pd.Series(False, index=cells.index)
    keys = rows_of(cells, CELL)
    return pd.Series([key in batch.carried for key in keys], index=cells.index)


def _dominated(cells: pd.DataFrame, facts: pd.DataFrame, threshold: int) -> pd.Series:
    """A member whose own count leaves 1..threshold-1 to the rest of the network would learn that rest."""
    rows, orgs, matrix = member_matrix(facts)
    index = [rows.get(key, -1) for key in rows_of(cells, KEY)]
    own = np.where(np.array(index)[:, None] >= 0, np.nan_to_num(matrix[index]), 0.0)
    column = {org: i for i, org in enumerate(orgs)}
    total = cells["value"].to_numpy(dtype=float)
    inside = np.zeros(own.shape, dtype=bool)
    for row, orgs in enumerate(cells["orgs"]):
        inside[row, [column[o] for o in orgs if o in column]] = True
    rest = total[:, None] - own
    hit = inside & (rest >= 1) & (rest <= threshold - 1) & (cells["members"].to_numpy() >= 2)[:, None]
    return pd.Series(hit.any(axis=1) & ~np.isnan(total), index=cells.index)


def _folded_rows(cells: pd.DataFrame) -> pd.Series:
    """In a cross, a row (or column) under 10 whose persons all fall in one cell reveals their attribute."""
    inner = cells[(cells["dim2"] != TOTAL) & (cells["code1"] != TOTAL) & (cells["code2"] != TOTAL)]
    hit = pd.Series(False, index=cells.index)
    for line in ("code1", "code2"):
        group = ["subset", *TABLE, line]
        stats = inner.assign(_pos=inner["value"].fillna(0) > 0).groupby(group)[["value", "_pos"]].transform("sum")
        folded = (stats["value"] > 0) & (stats["value"] < CROSS_ROW_MIN) & (stats["_pos"] == 1)
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


# --- secondary suppression -------------------------------------------------------------------


def secondary(system: System, threshold: int) -> np.ndarray:
    """Hidden published nodes after secondary suppression (a bool per node)."""
    hidden = system.primary_hidden.copy()
    members = system.relation_members()
    by_node = _relations_of(members)
    zero = system.known_zero()
    audited: set[int] = set()  # groups of nodes the LP found clean, as they were
    stubborn: dict[int, int] = {}  # nodes the LP pinned before: look further for partners each time
    while True:
        shown = system.published & ~hidden & ~np.isnan(system.values)  # what may still be hidden
        visible = shown | zero  # what an outsider knows
        derivation = exposure.derive(system.relations, np.nan_to_num(system.values), visible)
        sensitive = system.sensitive(hidden, threshold)
        picks: set[int] = set()
        for node in np.flatnonzero(derivation.known & ~visible & sensitive).tolist():
            choices = exposure.path(derivation, members, node, shown)
            if choices:
                picks.add(min(choices, key=system.cost))
        picks |= _narrow_small_cells(system, derivation, members, hidden, shown, threshold)
        if not picks:
            picks = _pinned_by_bounds(system, derivation, members, by_node, hidden, shown, sensitive, threshold)
        if not picks:
            known = derivation.known  # derived nodes are as good as visible: fixing them shrinks the LP
            picks = _pinned_by_lp(
                system, members, by_node, hidden, known, shown, sensitive, threshold, audited, stubborn
            )
        if not picks:
            return hidden
        hidden[list(picks)] = True


def _relations_of(members: dict[int, list[int]]) -> dict[int, list[int]]:
    by_node: dict[int, list[int]] = {}
    for relation, nodes in members.items():
        for node in nodes:
            by_node.setdefault(node, []).append(relation)
    return by_node


def _pinned_by_bounds(
    system: System,
    derivation: exposure.Derivation,
    members: dict[int, list[int]],
    by_node: dict[int, list[int]],
    hidden: np.ndarray,
    visible: np.ndarray,
    sensitive: np.ndarray,
    threshold: int,
) -> set[int]:
    """Nodes that counts being >= 0 (and `<t` cells 1..t-1) squeeze to one value."""
    values = np.nan_to_num(system.values)
    low, high = exposure.bounds(system.relations, values, derivation.known, hidden & system.small, threshold)
    pinned = np.flatnonzero(~derivation.known & sensitive & (high - low < 1e-9))
    return _neighbours(system, members, by_node, pinned.tolist(), visible)


def _pinned_by_lp(
    system: System,
    members: dict[int, list[int]],
    by_node: dict[int, list[int]],
    hidden: np.ndarray,
    visible: np.ndarray,
    shown: np.ndarray,
    sensitive: np.ndarray,
    threshold: int,
    audited: set[int],
    stubborn: dict[int, int],
) -> set[int]:
    """The full attack (linear programming) on what is left.

    A node pinned again after its partners were hidden gets partners from one more
    relation away each time (its value follows from figures further off).
    """
    values = np.nan_to_num(system.values)
    small = hidden & system.small
    # The LP audits what must never be pinned: hidden published cells and one member's figures.
    # Other sensitive groups (two members, or 1..t-1 persons) are left to the cheaper moves above.
    single = np.array([mask.bit_count() == 1 for mask in system.masks], dtype=bool) & (values >= 1)
    targets = sensitive & ~visible & (system.published | single)
    nodes = lp.pinned(system.relations, values, visible, small, targets, threshold, audited)
    picks = _neighbours(system, members, by_node, [n for n in nodes if n not in stubborn], shown)
    for node in nodes:
        stubborn[node] = stubborn.get(node, 0) + 1
        if stubborn[node] > 1:
            picks |= _wider(system, members, by_node, node, shown, stubborn[node])
    return picks


def _wider(
    system: System,
    members: dict[int, list[int]],
    by_node: dict[int, list[int]],
    node: int,
    shown: np.ndarray,
    hops: int,
) -> set[int]:
    """The cheapest shown node of every relation within `hops` relations of `node`."""
    reached, frontier = {node}, {node}
    for _ in range(hops):
        frontier = {m for n in frontier for r in by_node.get(n, []) for m in members[r]} - reached
        reached |= frontier
    picks = set()
    for relation in {r for n in reached for r in by_node.get(n, [])}:
        choices = [m for m in members[relation] if shown[m]]
        if choices:
            picks.add(min(choices, key=system.cost))
    return picks


def _neighbours(
    system: System, members: dict[int, list[int]], by_node: dict[int, list[int]], nodes: list[int], visible: np.ndarray
) -> set[int]:
    """For each node, the cheapest visible node of each relation it is in, and the cell closing the cycle.

    A pinned cell moves only along a cycle of hidden cells: up here, down in its row
    and in its column, up again where that row and column cross. So besides one
    partner per relation (its row, its column), the corner shared by two partners
    is hidden too.
    """
    picks: set[int] = set()
    for node in nodes:
        partners: list[tuple[int, int]] = []
        for relation in by_node.get(node, []):
            choices = [m for m in members[relation] if visible[m]]
            if choices:
                partner = min(choices, key=system.cost)
                picks.add(partner)
                partners.append((relation, partner))
        if not partners:  # every relation of the node is hidden already: look one relation further
            near = {m for r in by_node.get(node, []) for m in members[r]}
            further = [m for n in near for r in by_node.get(n, []) for m in members[r] if visible[m]]
            if further:
                picks.add(min(further, key=system.cost))
            continue
        for (first_relation, first), (second_relation, second) in pairwise(partners):
            first_near = {m for r in by_node[first] if r != first_relation for m in members[r]}
            second_near = {m for r in by_node[second] if r != second_relation for m in members[r]}
            corners = [m for m in first_near & second_near if visible[m] and m != node]
            if corners:
                picks.add(min(corners, key=system.cost))
    return picks


def _narrow_small_cells(
    system: System,
    derivation: exposure.Derivation,
    members: dict[int, list[int]],
    hidden: np.ndarray,
    visible: np.ndarray,
    threshold: int,
) -> set[int]:
    """A relation whose only unknowns are `<t` cells gives their sum; keep each one's full 1..t-1.

    With n such cells summing to S, a cell can reach t-1 only if S-(t-1) >= n-1 and
    1 only if S-1 <= (n-1)(t-1); otherwise one more (larger) cell is hidden with them.
    """
    small = hidden & system.small
    picks: set[int] = set()
    for nodes in members.values():
        unknown = [n for n in nodes if not derivation.known[n]]
        if not unknown or not all(small[n] for n in unknown):
            continue
        count = len(unknown)
        total = float(sum(system.values[u] for u in unknown))
        if total - (threshold - 1) >= count - 1 and total - 1 <= (count - 1) * (threshold - 1):
            continue
        choices = [m for m in nodes if visible[m]]
        if choices:
            picks.add(min(choices, key=system.cost))
    return picks


# --- output ----------------------------------------------------------------------------------


def _output(cells: pd.DataFrame, system: System, hidden: np.ndarray, batch: Batch, threshold: int) -> pd.DataFrame:
    suppressed = np.array([hidden[n] if n >= 0 else False for n in system.cell_node], dtype=bool)
    withheld = cells["reason"].isin(WITHHOLDING).to_numpy()
    is_hidden = suppressed | withheld
    small = cells["value"].between(1, threshold - 1).to_numpy() & ~withheld
    secondary_reason = pd.Series(["secondary" if hide else None for hide in is_hidden], index=cells.index)
    reason = cells["reason"].where(cells["reason"].notna(), secondary_reason)
    flags = []
    keys = zip(is_hidden, small, rows_of(cells, ["flag", "measure", "year", "kind"]), strict=True)
    for hide, tiny, (data_flag, measure, year, kind) in keys:
        letters = set(data_flag)
        if hide:
            letters.add(FLAG_SMALL if tiny else FLAG_SECONDARY)
        if (measure, year, kind) in batch.breaks:
            letters.add(FLAG_BREAK)
        flags.append(join_flags(letters))
    out = cells.assign(
        value=cells["value"].where(~is_hidden).round().astype("Int64"),
        flag=flags,
        reason=reason,
        period=[str(y) if k == "Y" else f"{y}{k}" for y, k in rows_of(cells, ["year", "kind"])],
    )
    return out[OUTPUT].reset_index(drop=True)
