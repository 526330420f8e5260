"""A year's published tables, in every retained version, as one system of relations.

The attacker of DATA-CONTRACT 8.2 knows every retained version. Each member's
figures for the year are *epochs*: one per distinct content of its cells, so an
unchanged submission is the same unknowns in every version and a revision brings
new ones. A *node* is the sum of one cell (table, code) over a group of epochs (a
bitmask). A published cell of any version is the node of its reporting epochs.

Groups are split into their Venn *atoms* (epochs that every group of a table, and of
the tables linked to it, contains or leaves out together), so differences between
published groups (like-for-like minus network, one version minus another) are nodes
too. Relations, each added only when the data satisfy it:

- a group = the sum of its atoms, cell by cell;
- per group, a breakdown's cells sum to its margin, a cross's rows and columns to theirs;
- a breakdown's margin = the measure total (labour_sector: = exploitation_form LAB;
  countries: = their citizenship group), a cross's margins = the one-dimension cells;
- year = H1 + H2 (stock: = H2) for epochs whose year is built from halves;
- a part never exceeds its whole (codebook part_whole.csv), an inequality;
- an epoch's unchanged measure and period equal the same cells of its other epochs;
  a changed one gives *delta* nodes (the revision), free in sign.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from etl.codebook import TOTAL
from etl.disclosure.atoms import Edge, refine
from etl.disclosure.tables import HALVES, LABOUR, LABOUR_WHOLE, MeasureInfo, rows_of

Code = tuple[str, str, str, str]  # dim1, code1, dim2, code2
Table = tuple[str, str, str, str]  # measure, kind, dim1, dim2 (the year is the model's)
Block = tuple[str, str, str]  # measure, dim1, dim2: one table over its kinds
CELL_KEY = ["measure", "kind", "dim1", "code1", "dim2", "code2"]
T_CODE: Code = (TOTAL, TOTAL, TOTAL, TOTAL)
COUNTRY, COUNTRY_GROUP = "citizenship", "citizenship_group"


@dataclass
class Layer:
    """One version's view of the year: its member cells and the cells it published."""

    version: int
    facts: pd.DataFrame  # org_code, CELL_KEY, value, derived, margin: folded as published, with margins
    cells: pd.DataFrame  # subset, CELL_KEY, value, flag, orgs (frozenset), reason (None when shown)
    frozen: bool  # an earlier published version: what it showed and hid is fixed


@dataclass
class Relations:
    """Sparse rows `sum(coef * node) = 0`, or `<= 0` where `upper` is True."""

    rel: list[int] = field(default_factory=list)
    node: list[int] = field(default_factory=list)
    coef: list[float] = field(default_factory=list)
    upper: list[bool] = field(default_factory=list)

    def add(self, terms: list[tuple[int, float]], upper: bool = False) -> None:
        merged: dict[int, float] = {}
        for node, coef in terms:
            merged[node] = merged.get(node, 0.0) + coef
        kept = [(n, c) for n, c in merged.items() if c]
        if len(kept) < 2 and not upper:
            return
        for node, coef in kept:
            self.rel.append(len(self.upper))
            self.node.append(node)
            self.coef.append(coef)
        self.upper.append(upper)

    @property
    def count(self) -> int:
        return len(self.upper)


@dataclass
class Model:
    epochs: list[tuple[str, str]]  # (org, content digest) per bit
    bits: list[dict[str, int]]  # per layer: org -> its epoch's bit
    matrix: np.ndarray  # row per cell key, column per epoch; NaN not collected
    rows: dict[tuple, int]
    values: list[float] = field(default_factory=list)
    masks: list[int] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    codes: list[Code] = field(default_factory=list)
    delta: list[bool] = field(default_factory=list)  # a revision's change (value may be negative)
    index: dict[tuple, int] = field(default_factory=dict)
    relations: Relations = field(default_factory=Relations)
    canonical: list[int] = field(default_factory=list)  # the node standing for each node (see `compact`)

    def node(self, table: Table, code: Code, mask: int) -> int:
        key = (table, code, mask)
        found = self.index.get(key)
        if found is not None:
            return self.canonical[found] if found < len(self.canonical) else found
        row = self.rows.get((*table[:2], *code))
        value = 0.0 if row is None else float(np.nansum(self.matrix[row, list(bits_of(mask))]))
        return self._append(key, table, code, mask, value, False)

    def delta_node(self, table: Table, code: Code, new: int, old: int) -> int:
        value = self.values[self.node(table, code, new)] - self.values[self.node(table, code, old)]
        return self._append((table, code, new, old), table, code, new | old, value, True)

    def _append(self, key: tuple, table: Table, code: Code, mask: int, value: float, delta: bool) -> int:
        if self.canonical:  # a node made after `compact` stands for itself
            self.canonical.append(len(self.values))
        self.index[key] = len(self.values)
        self.values.append(value)
        self.masks.append(mask)
        self.tables.append(table)
        self.codes.append(code)
        self.delta.append(delta)
        return self.index[key]

    def relate(self, terms: list[tuple[int, float]], upper: bool = False) -> None:
        """Add the relation when the data satisfy it (a member's inconsistent cells add nothing)."""
        total = sum(coef * self.values[node] for node, coef in terms)
        if np.isnan(total) or (total > 1e-9 if upper else abs(total) > 1e-9):
            return
        self.relations.add(terms, upper)

    def org_of(self, bit: int) -> str:
        return self.epochs[bit][0]

    def orgs(self, mask: int) -> frozenset[str]:
        return frozenset(self.epochs[bit][0] for bit in bits_of(mask))


def bits_of(mask: int) -> Iterator[int]:
    bit = 0
    while mask:
        if mask & 1:
            yield bit
        mask >>= 1
        bit += 1


def build(layers: list[Layer], measures: dict[str, MeasureInfo], part_whole: list[tuple[str, str]]) -> Model:
    """The model of one year over its layers (earlier versions first, the one being published last)."""
    model = _epochs(layers)
    reporters = _reporters(model, layers)
    families = _published_groups(model, layers)
    pairs = _revised_pairs(model)
    for new, old in pairs:
        for table, mask in reporters.items():
            if mask & 1 << new and mask & 1 << old:
                families.setdefault(table, set()).update({1 << new, 1 << old})
    derived = _derived(model, layers, reporters, measures)
    edges = _edges(families, reporters, derived, measures, part_whole)
    atoms = refine(families, edges)
    codes = _codes(layers)
    for table, family in families.items():
        groups = sorted(set(atoms[table]) | family)
        _sum_of_atoms(model, table, family, atoms[table], codes[table[0], table[2], table[3]])
        for group in groups:
            _structure(model, table, group, codes[table[0], table[2], table[3]])
    for edge in edges:
        for group in sorted(set(atoms[edge.source]) | families[edge.source]):
            if group & ~edge.allowed == 0 and group in families[edge.target] | set(atoms[edge.target]):
                _link(model, edge, group, codes, measures)
    _revisions(model, pairs, reporters, codes)
    compact(model)
    return model


def compact(model: Model) -> None:
    """Merge nodes that a relation makes equal (a breakdown's margin and the total, an unchanged
    submission's two epochs...): they are one figure, so they become one unknown."""
    parent = list(range(len(model.values)))

    def root(node: int) -> int:
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    terms: dict[int, list[tuple[int, float]]] = {}
    for rel, node, coef in zip(model.relations.rel, model.relations.node, model.relations.coef, strict=True):
        terms.setdefault(rel, []).append((node, coef))
    for rel, pair in terms.items():
        if not model.relations.upper[rel] and len(pair) == 2 and pair[0][1] == -pair[1][1]:
            a, b = root(pair[0][0]), root(pair[1][0])
            if a != b:
                parent[max(a, b)] = min(a, b)
    model.canonical = [root(node) for node in range(len(model.values))]
    merged = Relations()
    seen: set[tuple] = set()
    for rel in sorted(terms):
        upper = model.relations.upper[rel]
        combined: dict[int, float] = {}
        for node, coef in terms[rel]:
            combined[model.canonical[node]] = combined.get(model.canonical[node], 0.0) + coef
        key = (upper, tuple(sorted((n, c) for n, c in combined.items() if c)))
        if key in seen or (not upper and len(key[1]) < 2):
            continue
        seen.add(key)
        merged.add(list(key[1]), upper)
    model.relations = merged


# --- epochs ---------------------------------------------------------------------------------


def _digest(rows: pd.DataFrame) -> str:
    ordered = rows.sort_values(CELL_KEY, kind="stable")[[*CELL_KEY, "value"]].reset_index(drop=True)
    return format(int(pd.util.hash_pandas_object(ordered, index=False).sum()) & (2**64 - 1), "016x")


def epoch_keys(facts: pd.DataFrame) -> dict[str, tuple[str, str]]:
    """Each member's epoch in a layer: its code and a digest of all its cells of the year."""
    return {str(org): (str(org), _digest(rows)) for org, rows in facts[~facts["margin"]].groupby("org_code", sort=True)}


def _epochs(layers: list[Layer]) -> Model:
    keys: dict[tuple[str, str], int] = {}
    per_layer: list[dict[str, int]] = []
    frames = []
    for layer in layers:
        bits = {org: keys.setdefault(key, len(keys)) for org, key in epoch_keys(layer.facts).items()}
        per_layer.append(bits)
        frames.append(layer.facts.assign(_epoch=layer.facts["org_code"].map(bits)))
    cells = pd.concat(frames, ignore_index=True).drop_duplicates(["_epoch", *CELL_KEY])
    codes, uniques = pd.MultiIndex.from_frame(cells[CELL_KEY]).factorize()
    matrix = np.full((len(uniques), len(keys)), np.nan)
    matrix[codes, cells["_epoch"].to_numpy(dtype=int)] = cells["value"].to_numpy(dtype=float)
    rows = {key: i for i, key in enumerate(uniques)}
    return Model(list(keys), per_layer, matrix, rows)


def _reporters(model: Model, layers: list[Layer]) -> dict[Table, int]:
    """Per table: the epochs that reported it (sent a value in it)."""
    out: dict[Table, int] = {}
    for layer, bits in zip(layers, model.bits, strict=True):
        sent = layer.facts[layer.facts["value"].notna()]
        for table, orgs in sent.groupby(["measure", "kind", "dim1", "dim2"])["org_code"]:
            for org in set(orgs):
                out[table] = out.get(table, 0) | 1 << bits[org]
    return out


def _published_groups(model: Model, layers: list[Layer]) -> dict[Table, set[int]]:
    """Per table: the epoch groups of the offered cells of every layer (stored as `mask` on the cells)."""
    families: dict[Table, set[int]] = {}
    for layer, bits in zip(layers, model.bits, strict=True):
        masks = [sum(1 << bits[o] for o in orgs) for orgs in layer.cells["orgs"]]
        layer.cells["mask"] = masks
        offered = layer.cells[layer.cells["offered"]]
        for table, mask in zip(rows_of(offered, ["measure", "kind", "dim1", "dim2"]), offered["mask"], strict=True):
            if mask:
                families.setdefault(table, set()).add(int(mask))
    return families


def _revised_pairs(model: Model) -> list[tuple[int, int]]:
    """(new, old) epoch bits of each member's consecutive epochs."""
    latest: dict[str, int] = {}
    pairs = []
    for bits in model.bits:
        for org, bit in sorted(bits.items()):
            before = latest.get(org)
            if before is not None and before != bit:
                pairs.append((bit, before))
            latest[org] = bit
    return sorted(set(pairs))


def _derived(
    model: Model, layers: list[Layer], reporters: dict[Table, int], measures: dict[str, MeasureInfo]
) -> dict[Block, int]:
    """Per block: epochs whose year is built from the halves they sent (year = H1 + H2 for them)."""
    out: dict[Block, int] = {}
    for layer, bits in zip(layers, model.bits, strict=True):
        facts = layer.facts
        rows = facts[(facts["kind"] == "Y") & facts["derived"].astype(bool) & facts["value"].notna()]
        for (measure, dim1, dim2), orgs in rows.groupby(["measure", "dim1", "dim2"])["org_code"]:
            nature = measures[measure].nature
            if nature == "non_additive":
                continue
            mask = sum(1 << bits[o] for o in set(orgs)) & reporters.get((measure, "H2", dim1, dim2), 0)
            if nature == "additive":
                mask &= reporters.get((measure, "H1", dim1, dim2), 0)
            if mask:
                out[measure, dim1, dim2] = out.get((measure, dim1, dim2), 0) | mask
    return out


def _codes(layers: list[Layer]) -> dict[Block, list[Code]]:
    out: dict[Block, set[Code]] = {}
    for layer in layers:
        columns = ["measure", "dim1", "code1", "dim2", "code2"]
        for measure, dim1, code1, dim2, code2 in rows_of(layer.facts[columns].drop_duplicates(), columns):
            out.setdefault((measure, dim1, dim2), set()).add((dim1, code1, dim2, code2))
    return {block: sorted(codes) for block, codes in out.items()}


# --- edges between tables ---------------------------------------------------------------------


def _edges(
    families: dict[Table, set[int]],
    reporters: dict[Table, int],
    derived: dict[Block, int],
    measures: dict[str, MeasureInfo],
    part_whole: list[tuple[str, str]],
) -> list[Edge]:
    """Tables whose groups must split their epochs the same way, and who may cross each link."""
    edges: list[Edge] = []

    def both_ways(source: Table, target: Table, kind: str, allowed: int | None = None) -> None:
        if target in families:
            edges.append(Edge(source, target, kind, reporters.get(target, 0) if allowed is None else allowed))
            back = reporters.get(source, 0) if allowed is None else allowed
            edges.append(Edge(target, source, kind + "-back", back))

    for table in sorted(families):
        measure, kind, dim1, dim2 = table
        for target in _wholes(table, measures[measure]):
            both_ways(table, target, "margin")
        halves = derived.get((measure, dim1, dim2), 0)
        if kind == "Y" and halves:
            for half in HALVES:
                both_ways(table, (measure, half, dim1, dim2), "halves", halves)
    for part, whole in part_whole:
        for table in sorted(t for t in families if t[0] == part):
            target = (whole, table[1], table[2], table[3])
            if target not in families:
                target = (whole, table[1], TOTAL, TOTAL)
                if table[2:] != (TOTAL, TOTAL) and not measures[part].multi_response:
                    continue  # a part's cell under the whole's total follows from the part's own total
            allowed = reporters.get(table, 0) & reporters.get(target, 0)
            both_ways(table, target, "part", allowed)
    return edges


def _wholes(table: Table, info: MeasureInfo) -> list[Table]:
    measure, kind, dim1, dim2 = table
    if dim2 != TOTAL:
        return [(measure, kind, dim1, TOTAL), (measure, kind, dim2, TOTAL), (measure, kind, TOTAL, TOTAL)]
    if (dim1, dim2) == LABOUR:
        return [(measure, kind, LABOUR_WHOLE[0], TOTAL)]
    if dim1 == COUNTRY:
        return [(measure, kind, COUNTRY_GROUP, TOTAL), (measure, kind, TOTAL, TOTAL)]
    if dim1 != TOTAL and not info.multi_response:
        return [(measure, kind, TOTAL, TOTAL)]
    return []


# --- relations --------------------------------------------------------------------------------


def _sum_of_atoms(model: Model, table: Table, family: set[int], atoms: list[int], codes: list[Code]) -> None:
    for group in sorted(family):
        parts = [atom for atom in atoms if atom & group == atom]
        if parts == [group]:
            continue
        for code in codes:
            terms = [(model.node(table, code, group), 1.0)]
            model.relate(terms + [(model.node(table, code, atom), -1.0) for atom in parts])


def _structure(model: Model, table: Table, group: int, codes: list[Code]) -> None:
    dim1, dim2 = table[2], table[3]
    if dim1 == TOTAL:
        model.node(table, T_CODE, group)
        return
    inner = [c for c in codes if c[1] != TOTAL and (dim2 == TOTAL or c[3] != TOTAL)]
    if dim2 == TOTAL:
        _sum(model, table, group, (dim1, TOTAL, TOTAL, TOTAL), inner)
        return
    rows = sorted({c[1] for c in inner})
    columns = sorted({c[3] for c in inner})
    for code1 in rows:
        _sum(model, table, group, (dim1, code1, dim2, TOTAL), [c for c in inner if c[1] == code1])
    for code2 in columns:
        _sum(model, table, group, (dim1, TOTAL, dim2, code2), [c for c in inner if c[3] == code2])
    _sum(model, table, group, (dim1, TOTAL, dim2, TOTAL), [(dim1, r, dim2, TOTAL) for r in rows])
    _sum(model, table, group, (dim1, TOTAL, dim2, TOTAL), [(dim1, TOTAL, dim2, c) for c in columns])


def _sum(model: Model, table: Table, group: int, whole: Code, parts: list[Code]) -> None:
    terms = [(model.node(table, whole, group), 1.0)] + [(model.node(table, part, group), -1.0) for part in parts]
    model.relate(terms)


def _link(model: Model, edge: Edge, group: int, codes: dict[Block, list[Code]], measures: dict) -> None:
    measure, _, dim1, dim2 = edge.source
    block_codes = codes[measure, dim1, dim2]
    if edge.kind == "halves":
        _halves(model, edge.source, group, block_codes, measures[measure].nature)
    elif edge.kind == "margin":
        _margin(model, edge.source, edge.target, group, block_codes)
    elif edge.kind == "part":
        _parts(model, edge.source, edge.target, group, block_codes)


def _parts(model: Model, part: Table, whole: Table, group: int, codes: list[Code]) -> None:
    """Each cell of the part is at most the whole's same cell, or its total (a multi-response part)."""
    if whole[2:] == part[2:]:
        pairs = [(code, code) for code in codes]
    else:
        pairs = [(code, T_CODE) for code in codes if code[1] != TOTAL or part[2] == TOTAL]
    for code, whole_code in pairs:
        terms = [(model.node(part, code, group), 1.0), (model.node(whole, whole_code, group), -1.0)]
        model.relate(terms, upper=True)


def _halves(model: Model, year: Table, group: int, codes: list[Code], nature: str) -> None:
    measure, _, dim1, dim2 = year
    for code in codes:
        terms = [(model.node(year, code, group), 1.0), (model.node((measure, "H2", dim1, dim2), code, group), -1.0)]
        if nature == "additive":
            terms.append((model.node((measure, "H1", dim1, dim2), code, group), -1.0))
        model.relate(terms)


def _margin(model: Model, source: Table, target: Table, group: int, codes: list[Code]) -> None:
    dim1, dim2 = source[2], source[3]
    if (dim2 == TOTAL and target[2:] == (TOTAL, TOTAL)) or (dim1, dim2) == LABOUR:
        whole = (LABOUR_WHOLE[0], LABOUR_WHOLE[1], TOTAL, TOTAL) if (dim1, dim2) == LABOUR else T_CODE
        model.relate(
            [(model.node(source, (dim1, TOTAL, TOTAL, TOTAL), group), 1.0), (model.node(target, whole, group), -1.0)]
        )
        return
    if dim1 == COUNTRY and target[2] == COUNTRY_GROUP:
        _countries(model, source, target, group, codes)
        return
    if target[2:] == (TOTAL, TOTAL):  # a cross's grand total
        model.relate(
            [(model.node(source, (dim1, TOTAL, dim2, TOTAL), group), 1.0), (model.node(target, T_CODE, group), -1.0)]
        )
        return
    axis = 1 if target[2] == dim1 else 3
    for code in codes:
        if code[axis] == TOTAL or code[4 - axis] != TOTAL:
            continue
        one_d = (target[2], code[axis], TOTAL, TOTAL)
        model.relate([(model.node(source, code, group), 1.0), (model.node(target, one_d, group), -1.0)])


def _countries(model: Model, source: Table, target: Table, group: int, codes: list[Code]) -> None:
    """Countries (and the group's "other" and unknown codes) sum to their citizenship group."""
    from etl.codebook import load_codebook

    parents = {code: entry.parent or code for code, entry in load_codebook().codes[COUNTRY].items()}
    by_group: dict[str, list[Code]] = {}
    for code in codes:
        if code[1] != TOTAL:
            by_group.setdefault(parents.get(code[1], code[1]), []).append(code)
    for parent, members in sorted(by_group.items()):
        whole = (COUNTRY_GROUP, parent, TOTAL, TOTAL)
        terms = [(model.node(target, whole, group), 1.0)] + [(model.node(source, c, group), -1.0) for c in members]
        model.relate(terms)


def _revisions(
    model: Model, pairs: list[tuple[int, int]], reporters: dict[Table, int], codes: dict[Block, list[Code]]
) -> None:
    """Unchanged cells of a member's two epochs are equal; a changed cell is a delta node."""
    same: dict[tuple, bool] = {}
    for new, old in pairs:
        for table, mask in sorted(reporters.items()):
            if not (mask & 1 << new and mask & 1 << old):
                continue
            for code in codes[table[0], table[2], table[3]]:
                first, second = model.node(table, code, 1 << new), model.node(table, code, 1 << old)
                if model.values[first] == model.values[second]:
                    unit = (table[0], table[1], new, old)
                    if unit not in same:
                        same[unit] = _same_unit(model, table, new, old)
                    if same[unit]:
                        model.relate([(first, 1.0), (second, -1.0)])
                    continue
                delta = model.delta_node(table, code, 1 << new, 1 << old)
                model.relate([(delta, 1.0), (first, -1.0), (second, 1.0)])


def _same_unit(model: Model, table: Table, new: int, old: int) -> bool:
    """Did the member send the same figures for this measure and period in both epochs?"""
    keys = [i for key, i in model.rows.items() if key[:2] == table[:2]]
    a, b = model.matrix[keys, new], model.matrix[keys, old]
    return bool(np.array_equal(a, b, equal_nan=True))


def describe(model: Model, node: int) -> str:
    """A node for people reading a log: its table, code, members and value."""
    orgs = ",".join(sorted(model.orgs(model.masks[node])))
    kind = "change of " if model.delta[node] else ""
    return f"{kind}{'/'.join(model.tables[node])} {'/'.join(model.codes[node])} [{orgs}] = {model.values[node]:g}"
