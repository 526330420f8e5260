"""The model's data: layers, nodes (a cell over a group of epochs), their relations, and merging equal nodes."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

Code = tuple[str, str, str, str]  # dim1, code1, dim2, code2
Table = tuple[str, str, str, str]  # measure, kind, dim1, dim2 (the year is the model's)
Block = tuple[str, str, str]  # measure, dim1, dim2: one table over its kinds
CELL_KEY = ["measure", "kind", "dim1", "code1", "dim2", "code2"]


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
    # per (measure, kind): (later epoch, earlier epoch) of a member that sent the same figures in both
    aliases: dict[tuple[str, str], list[tuple[int, int]]] = field(default_factory=dict)

    def same_group(self, table: Table, mask: int) -> int:
        """The group written with each member's earliest epoch that sent the same figures for the table's
        measure and period: a resent, unchanged part of a submission is the same unknowns, not new ones."""
        for later, earlier in self.aliases.get(table[:2], ()):
            if mask >> later & 1 and not mask >> earlier & 1:
                mask ^= 1 << later | 1 << earlier
        return mask

    def find(self, table: Table, code: Code, mask: int) -> int | None:
        """The node of a cell over a group, if the model has it."""
        return self._standing(self.index.get((table, code, self.same_group(table, mask))))

    def node(self, table: Table, code: Code, mask: int) -> int:
        mask = self.same_group(table, mask)
        key = (table, code, mask)
        found = self._standing(self.index.get(key))
        if found is not None:
            return found
        row = self.rows.get((*table[:2], *code))
        value = 0.0 if row is None else float(np.nansum(self.matrix[row, list(bits_of(mask))]))
        return self._append(key, table, code, mask, value, False)

    def _standing(self, found: int | None) -> int | None:
        if found is None or found >= len(self.canonical):
            return found
        return self.canonical[found]

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


def describe(model: Model, node: int) -> str:
    """A node for people reading a log: its table, code, members and value."""
    orgs = ",".join(sorted(model.orgs(model.masks[node])))
    kind = "change of " if model.delta[node] else ""
    return f"{kind}{'/'.join(model.tables[node])} {'/'.join(model.codes[node])} [{orgs}] = {model.values[node]:g}"
