"""The tables of a cluster as one system of exact relations between member-group sums.

A *node* is the sum of one cell (kind, dim1, code1, dim2, code2) over a group of
members (a bitmask). A published cell is the node of its subset's reporting
members. Groups are split into their Venn *atoms* (members that every published
group either contains or leaves out together), so that differences between
published groups (like-for-like minus network, members reporting a breakdown
minus all members, yearly reporters minus half-yearly ones) are nodes too.

Relations, each exact in the data (a relation that does not hold is left out):
- a group = the sum of its atoms, cell by cell;
- per atom, a breakdown's cells sum to its margin, a cross's rows and columns to
  theirs;
- per atom, a breakdown's margin = the measure total (labour_sector: = the
  exploitation_form LAB cell), a cross's margins = the one-dimension cells;
- per atom of members whose year is built from halves: year = H1 + H2 (stock
  measures: year = H2).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from etl.codebook import TOTAL
from etl.disclosure.exposure import Relations
from etl.disclosure.rules import MIN_MEMBERS
from etl.disclosure.tables import ALL, HALVES, KEY, LABOUR, LABOUR_WHOLE, TABLE, Batch, member_matrix, rows_of

Code = tuple[str, str, str, str]  # dim1, code1, dim2, code2
Table = tuple  # measure, year, kind, dim1, dim2
Block = tuple  # measure, year, dim1, dim2: one table over its kinds
T_CODE: Code = (TOTAL, TOTAL, TOTAL, TOTAL)
# Secondary-suppression cost tiers (lower is hidden first): a network year total last of all.
HEADLINE, HALF_HEADLINE, LFL_TOTAL, NETWORK, MARGIN, YEAR = 5000, 2000, 1000, 100, 50, 10
ZERO = 100_000  # a hidden 0 sits at its lower bound: it protects little and needs protecting itself


@dataclass
class System:
    orgs: list[str]
    matrix: np.ndarray  # member values: row per cell key, column per member; 0 absent, NaN not collected
    rows: dict[tuple, int]
    values: list[float] | np.ndarray = field(default_factory=list)
    masks: list[int] = field(default_factory=list)
    index: dict[tuple, int] = field(default_factory=dict)
    relations: Relations = field(default_factory=Relations)
    published: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))
    primary_hidden: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))
    small: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))
    cell_node: list[int] = field(default_factory=list)
    costs: dict[int, tuple[int, float, str]] = field(default_factory=dict)
    zeros: set[int] = field(default_factory=set)  # cells no member has in that kind's table: 0, and seen to be
    listed: set[tuple] = field(default_factory=set)  # (measure, year, kind, dim1, dim2, code) rows some member sent

    def node(self, table: Table, code: Code, mask: int) -> int:
        """The node of `code` in `table`'s measure, year and kind, over the members in `mask`."""
        key = (*table[:3], code, mask)
        found = self.index.get(key)
        if found is not None:
            return found
        row = self.rows.get((*table[:3], *code))
        value = 0.0 if row is None else float(self.matrix[row, list(_bits(mask))].sum())
        if (*table, code) not in self.listed:
            self.zeros.add(len(self.masks))
        self.index[key] = len(self.masks)
        assert isinstance(self.values, list)
        self.values.append(value)
        self.masks.append(mask)
        return self.index[key]

    def relate(self, terms: list[tuple[int, int]]) -> None:
        """Add `sum(coef * node) = 0` when the data satisfy it exactly (inconsistent data add nothing)."""
        total = sum(coef * self.values[node] for node, coef in terms)
        if not np.isnan(total) and abs(total) < 1e-9:
            self.relations.add(terms)

    def known_zero(self) -> np.ndarray:
        out = np.zeros(len(self.masks), dtype=bool)
        out[list(self.zeros)] = True
        return out

    def relation_members(self) -> dict[int, list[int]]:
        return self.relations.members()

    def sensitive(self, hidden: np.ndarray, threshold: int) -> np.ndarray:
        """Hidden published cells, and unpublished group sums of 1-2 members or of 1..t-1 persons."""
        values = np.asarray(self.values)
        size = np.array([mask.bit_count() for mask in self.masks])
        present = ~np.isnan(values)
        group = ~self.published & present & (values >= 1) & ((size < MIN_MEMBERS) | (values < threshold))
        return (self.published & hidden & present) | group

    def cost(self, node: int) -> tuple[int, float, str]:
        return self.costs.get(node, (10**9, 0.0, ""))


def _bits(mask: int) -> Iterator[int]:
    bit = 0
    while mask:
        if mask & 1:
            yield bit
        mask >>= 1
        bit += 1


def build_system(cells: pd.DataFrame, facts: pd.DataFrame, batch: Batch, threshold: int) -> System:
    system = _member_matrix(facts)
    bit = {org: i for i, org in enumerate(system.orgs)}
    masks = pd.Series([sum(1 << bit[o] for o in orgs) for orgs in cells["orgs"]], index=cells.index)
    reporters = _reporters(facts, bit)
    offered = cells[~cells["reason"].isin(["members", "group"])]
    families: dict[Table, set[int]] = {}
    for table, mask in zip(rows_of(offered, TABLE), masks[offered.index], strict=True):
        if mask:
            families.setdefault(table, set()).add(mask)
    both_halves = {
        block: mask
        for block, mask in _from_halves(facts, bit, reporters, batch).items()
        if _table(block, "Y") in families and any(_table(block, half) in families for half in HALVES)
    }
    for block, mask in both_halves.items():
        for kind in ("Y", *HALVES):
            table = _table(block, kind)
            part = mask & reporters.get(table, 0)
            if table in families and part:
                families[table].add(part)
    edges = _edges(families, reporters, both_halves, batch)
    atoms = _refine(families, edges)
    codes = _codes(facts)
    groups = {table: sorted(set(atoms[table]) | families[table]) for table in families}
    for table in families:
        block_codes = codes[_block(table)]
        _set_relations(system, table, families[table], atoms[table], block_codes)
        _structure_relations(system, table, groups[table], block_codes)
    for source, target, allowed in edges:
        target_groups = set(groups.get(target, []))
        for group in groups.get(source, []):
            if group & ~allowed == 0 and group in target_groups:
                _link(system, source, target, group, codes[_block(source)], batch)
    _finish(system, offered, masks[offered.index].tolist(), threshold, cells.index)
    return system


def _table(block: Block, kind: str) -> Table:
    measure, year, dim1, dim2 = block
    return (measure, year, kind, dim1, dim2)


def _block(table: Table) -> Block:
    measure, year, _, dim1, dim2 = table
    return (measure, year, dim1, dim2)


def _member_matrix(facts: pd.DataFrame) -> System:
    rows, orgs, matrix = member_matrix(facts)
    listed = {
        (measure, year, kind, dim1, dim2, (dim1, code1, dim2, code2))
        for measure, year, kind, dim1, code1, dim2, code2 in rows_of(facts, KEY)
    }
    return System(orgs=orgs, matrix=matrix, rows=rows, listed=listed)


def _reporters(facts: pd.DataFrame, bit: dict[str, int]) -> dict[Table, int]:
    reported = facts[facts["value"].notna()]
    out: dict[Table, int] = {}
    for table, orgs in reported.groupby(TABLE)["org_code"]:
        out[table] = sum(1 << bit[o] for o in set(orgs))
    return out


def _from_halves(facts: pd.DataFrame, bit: dict[str, int], reporters: dict[Table, int], batch: Batch) -> dict:
    """Per table: members whose year is built from the halves they sent (year = H1 + H2 for them)."""
    derived = facts[(facts["kind"] == "Y") & facts["derived"].astype(bool) & facts["value"].notna()]
    out = {}
    for block, orgs in derived.groupby(["measure", "year", "dim1", "dim2"])["org_code"]:
        nature = batch.measures[block[0]].nature
        if nature == "non_additive":
            continue
        mask = sum(1 << bit[o] for o in set(orgs)) & reporters.get(_table(block, "H2"), 0)
        if nature == "additive":
            mask &= reporters.get(_table(block, "H1"), 0)
        if mask:
            out[block] = mask
    return out


def _edges(
    families: dict[Table, set[int]], reporters: dict[Table, int], both_halves: dict, batch: Batch
) -> list[tuple[Table, Table, int]]:
    """(source table, target table, members allowed): source groups refine the target's."""
    edges = []
    for table in families:
        measure, year, kind, dim1, dim2 = table
        targets: list[tuple[str, str]] = []
        if dim2 != TOTAL:
            targets = [(dim1, TOTAL), (dim2, TOTAL), (TOTAL, TOTAL)]
        elif (dim1, dim2) == LABOUR:
            targets = [(LABOUR_WHOLE[0], TOTAL)]
        elif dim1 != TOTAL and not batch.measures[measure].multi_response:
            targets = [(TOTAL, TOTAL)]
        for target in targets:
            key = (measure, year, kind, *target)
            if key in families:
                edges.append((table, key, reporters.get(key, 0)))
                edges.append((key, table, reporters.get(table, 0)))  # refine both ways; related once (see _link)
        halves_mask = both_halves.get(_block(table), 0)
        if halves_mask:
            for other in HALVES if kind == "Y" else ("Y",):
                key = (measure, year, other, dim1, dim2)
                if key in families:
                    edges.append((table, key, halves_mask))
    return edges


def _refine(families: dict[Table, set[int]], edges: list[tuple[Table, Table, int]]) -> dict[Table, list[int]]:
    """Push groups and atoms along the edges until every linked table splits its members the same way."""
    for _ in range(8):
        atoms = {table: _venn(family) for table, family in families.items()}
        grew = False
        for source, target, allowed in edges:
            for group in set(atoms[source]) | families[source]:
                if group & ~allowed == 0 and group not in families[target]:
                    families[target].add(group)
                    grew = True
        if not grew:
            break
    return {table: _venn(family) for table, family in families.items()}


def _venn(family: set[int]) -> list[int]:
    """The atoms of a family of member groups: members that belong to exactly the same groups."""
    union = 0
    for mask in family:
        union |= mask
    groups: dict[tuple[bool, ...], int] = {}
    ordered = sorted(family)
    for bit in _bits(union):
        signature = tuple(bool(mask >> bit & 1) for mask in ordered)
        groups[signature] = groups.get(signature, 0) | 1 << bit
    return sorted(groups.values())


def _codes(facts: pd.DataFrame) -> dict[Block, list[Code]]:
    out: dict[Block, set[Code]] = {}
    columns = ["measure", "year", "dim1", "code1", "dim2", "code2"]
    for measure, year, dim1, code1, dim2, code2 in rows_of(facts[columns].drop_duplicates(), columns):
        out.setdefault((measure, year, dim1, dim2), set()).add((dim1, code1, dim2, code2))
    return {block: sorted(codes) for block, codes in out.items()}


def _set_relations(system: System, table: Table, family: set[int], atoms: list[int], codes: list[Code]) -> None:
    for group in family:
        parts = [atom for atom in atoms if atom & group == atom]
        if parts == [group]:
            continue
        for code in codes:
            terms = [(system.node(table, code, group), 1)]
            terms += [(system.node(table, code, atom), -1) for atom in parts]
            system.relate(terms)


def _structure_relations(system: System, table: Table, groups: list[int], codes: list[Code]) -> None:
    dim1, dim2 = table[3], table[4]
    if dim1 == TOTAL:
        return
    inner = [c for c in codes if c[1] != TOTAL and (dim2 == TOTAL or c[3] != TOTAL)]
    rows = sorted({c[1] for c in inner})
    columns = sorted({c[3] for c in inner})
    for group in groups:
        if dim2 == TOTAL:
            _sum(system, table, group, (dim1, TOTAL, TOTAL, TOTAL), inner)
            continue
        for code1 in rows:
            _sum(system, table, group, (dim1, code1, dim2, TOTAL), [c for c in inner if c[1] == code1])
        for code2 in columns:
            _sum(system, table, group, (dim1, TOTAL, dim2, code2), [c for c in inner if c[3] == code2])
        _sum(system, table, group, (dim1, TOTAL, dim2, TOTAL), [(dim1, r, dim2, TOTAL) for r in rows])
        _sum(system, table, group, (dim1, TOTAL, dim2, TOTAL), [(dim1, TOTAL, dim2, c) for c in columns])


def _sum(system: System, table: Table, group: int, whole: Code, parts: list[Code]) -> None:
    terms = [(system.node(table, whole, group), 1)] + [(system.node(table, part, group), -1) for part in parts]
    system.relate(terms)


def _link(system: System, source: Table, target: Table, group: int, codes: list[Code], batch: Batch) -> None:
    measure, year, kind, dim1, dim2 = source
    if target[2] != kind:  # year and halves, cell by cell (added once, from the year to H2)
        if kind != "Y" or target[2] != "H2":
            return
        additive = batch.measures[measure].nature == "additive"
        for code in codes:
            terms = [(system.node(source, code, group), 1), (system.node(target, code, group), -1)]
            if additive:
                terms.append((system.node((measure, year, "H1", dim1, dim2), code, group), -1))
            system.relate(terms)
        return
    if _is_reverse(source, target):
        return
    if dim2 == TOTAL:  # a breakdown's margin is the measure total (labour_sector: the LAB cell)
        whole = (LABOUR_WHOLE[0], LABOUR_WHOLE[1], TOTAL, TOTAL) if (dim1, dim2) == LABOUR else T_CODE
        margin = (dim1, TOTAL, TOTAL, TOTAL)
        system.relate([(system.node(source, margin, group), 1), (system.node(target, whole, group), -1)])
        return
    if target[3:] == (TOTAL, TOTAL):
        grand = (dim1, TOTAL, dim2, TOTAL)
        system.relate([(system.node(source, grand, group), 1), (system.node(target, T_CODE, group), -1)])
        return
    axis = 1 if target[3] == dim1 else 3
    for code in codes:
        if code[axis] == TOTAL or code[4 - axis] != TOTAL:
            continue
        one_d = (target[3], code[axis], TOTAL, TOTAL)
        system.relate([(system.node(source, code, group), 1), (system.node(target, one_d, group), -1)])


def _is_reverse(source: Table, target: Table) -> bool:
    """A link from a table to one it is a part of (a total to a breakdown, a breakdown to a cross)."""
    dim1, dim2 = source[3], source[4]
    if dim2 != TOTAL:
        return False
    if dim1 == TOTAL:
        return True
    if (dim1, dim2) == LABOUR:
        return False
    return target[4] != TOTAL or (target[3], target[4]) == LABOUR


def _finish(system: System, offered: pd.DataFrame, masks: list[int], threshold: int, cells_index: pd.Index) -> None:
    cell_node = []
    hidden_nodes: set[int] = set()
    tables = rows_of(offered, TABLE)
    codes = rows_of(offered, ["dim1", "code1", "dim2", "code2"])
    for table, code, mask, reason in zip(tables, codes, masks, offered["reason"].tolist(), strict=True):
        node = system.node(table, code, mask)
        cell_node.append(node)
        if isinstance(reason, str):
            hidden_nodes.add(node)
    values = np.asarray(system.values, dtype=float)
    system.values = values
    system.published = np.zeros(len(values), dtype=bool)
    system.published[cell_node] = True
    system.primary_hidden = np.zeros(len(values), dtype=bool)
    system.primary_hidden[list(hidden_nodes)] = True
    system.small = (values >= 1) & (values < threshold)
    for row, node in zip(offered.itertuples(index=False), cell_node, strict=True):
        cost = _cost(row)
        if node not in system.costs or cost > system.costs[node]:
            system.costs[node] = cost
    lookup = dict(zip(offered.index, cell_node, strict=True))
    system.cell_node = [lookup.get(i, -1) for i in cells_index]


def _cost(row: Any) -> tuple[int, float, str]:
    """Which visible cell to hide first: like-for-like and half-year cells, inner cells, small non-zero counts."""
    network = row.subset == ALL
    total_table = row.dim1 == TOTAL
    margin = TOTAL in (row.code1, row.code2) and not total_table
    tier = HEADLINE * (network and total_table and row.kind == "Y")
    tier += HALF_HEADLINE * (network and total_table and row.kind != "Y") + LFL_TOTAL * (total_table and not network)
    tier += NETWORK * network + YEAR * (row.kind == "Y") + MARGIN * margin + ZERO * (row.value == 0)
    key = f"{row.subset}|{row.measure}|{row.year}|{row.kind}|{row.dim1}|{row.code1}|{row.dim2}|{row.code2}"
    return (tier, float(row.value), key)
