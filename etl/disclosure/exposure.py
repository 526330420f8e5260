"""What an outsider can work out from published figures: the engine's built-in attacker.

The figures of a cluster are *nodes* (a published cell, or the sum of a group of
members' cells that is never published), tied by exact linear *relations*
(sum of parts = whole) with coefficients +1/-1, and every node is >= 0. Knowing
the visible nodes, the attacker repeats three moves until nothing new follows:

1. a relation with one unknown node gives that node (subtraction);
2. a relation whose unknown nodes all have the same sign and whose known part
   leaves 0 makes them all 0 (counts cannot be negative);
3. two relations whose unknowns differ by one node give that node (the "two hidden
   cells in the same two rows" pattern).

Each derived node remembers the relations that gave it, so the engine can hide a
visible cell on that path. The test suite checks the result against the full
linear-programming attack (tests/disclosure/attack.py); this module is the fast,
deterministic approximation of it that runs at publish time.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

MAX_ELIMINATION_UNKNOWNS = 4  # rule 3 looks at relations with at most this many unknowns


@dataclass
class Relations:
    """Sparse relations: entry i says node `node[i]` has coefficient `coef[i]` in relation `rel[i]`."""

    rel: list[int] = field(default_factory=list)
    node: list[int] = field(default_factory=list)
    coef: list[int] = field(default_factory=list)
    count: int = 0

    def add(self, terms: list[tuple[int, int]]) -> None:
        merged: dict[int, int] = {}
        for node, coef in terms:
            merged[node] = merged.get(node, 0) + coef
        terms = [(n, c) for n, c in merged.items() if c]
        if len(terms) < 2:
            return
        for node, coef in terms:
            self.rel.append(self.count)
            self.node.append(node)
            self.coef.append(coef)
        self.count += 1

    def members(self) -> dict[int, list[int]]:
        out: dict[int, list[int]] = {}
        for r, n in zip(self.rel, self.node, strict=True):
            out.setdefault(r, []).append(n)
        return out

    def arrays(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        return (
            np.asarray(self.rel, dtype=np.int64),
            np.asarray(self.node, dtype=np.int64),
            np.asarray(self.coef, dtype=np.int64),
        )


@dataclass
class Derivation:
    known: np.ndarray  # bool per node: visible or derived
    given_by: list[tuple[int, ...]]  # per node: the relations that derived it (empty when visible or unknown)


def derive(relations: Relations, values: np.ndarray, visible: np.ndarray) -> Derivation:
    """Every node the attacker can pin down, starting from the visible ones."""
    rel, node, coef = relations.arrays()
    known = visible.copy()
    given_by: list[tuple[int, ...]] = [() for _ in range(len(values))]
    zero = values[node] == 0
    while True:
        grew = _peel(rel, node, coef, zero, relations.count, known, given_by)
        grew |= _eliminate(rel, node, coef, known, given_by)
        if not grew:
            return Derivation(known, given_by)


def _peel(
    rel: np.ndarray,
    node: np.ndarray,
    coef: np.ndarray,
    zero: np.ndarray,
    count: int,
    known: np.ndarray,
    given_by: list[tuple[int, ...]],
) -> bool:
    """Moves 1 and 2, in vectorised rounds."""
    grew = False
    while True:
        unknown = ~known[node]
        if not unknown.any():
            return grew
        n_unknown = np.bincount(rel[unknown], minlength=count)
        n_nonzero = np.bincount(rel[unknown & ~zero], minlength=count)
        n_positive = np.bincount(rel[unknown & (coef > 0)], minlength=count)
        single = n_unknown == 1
        forced = (n_unknown >= 2) & (n_nonzero == 0) & ((n_positive == 0) | (n_positive == n_unknown))
        hit = unknown & (single | forced)[rel]
        if not hit.any():
            return grew
        for n, r in zip(node[hit].tolist(), rel[hit].tolist(), strict=True):
            if not known[n]:
                known[n] = True
                given_by[n] = (r,)
        grew = True


def _eliminate(
    rel: np.ndarray, node: np.ndarray, coef: np.ndarray, known: np.ndarray, given_by: list[tuple[int, ...]]
) -> bool:
    """Move 3: relation B's unknowns = relation A's unknowns plus one node, with matching coefficients."""
    unknown = ~known[node]
    count = np.bincount(rel[unknown], minlength=int(rel.max(initial=-1)) + 1)
    keep = unknown & (count[rel] >= 2) & (count[rel] <= MAX_ELIMINATION_UNKNOWNS)
    terms: dict[int, dict[int, int]] = {}
    for r, n, c in zip(rel[keep].tolist(), node[keep].tolist(), coef[keep].tolist(), strict=True):
        terms.setdefault(r, {})[n] = c
    small = {r: t for r, t in terms.items() if 2 <= len(t) <= MAX_ELIMINATION_UNKNOWNS}
    by_set: dict[frozenset[int], list[int]] = {}
    for r, t in small.items():
        by_set.setdefault(frozenset(t), []).append(r)
    grew = False
    for r, t in small.items():
        if len(t) < 3:
            continue
        for extra in t:
            rest = frozenset(t) - {extra}
            for other in by_set.get(rest, []):
                if _proportional(t, small[other], rest) and not known[extra]:
                    known[extra] = True
                    given_by[extra] = (r, other)
                    grew = True
                    break
    return grew


def _proportional(a: dict[int, int], b: dict[int, int], nodes: frozenset[int]) -> bool:
    ratio = {a[n] * b[n] for n in nodes}  # coefficients are +-1: all products equal means b = +-a on `nodes`
    return len(ratio) == 1


def bounds(
    relations: Relations, values: np.ndarray, known: np.ndarray, small: np.ndarray, threshold: int, rounds: int = 50
) -> tuple[np.ndarray, np.ndarray]:
    """Move 4: interval propagation. Each node starts in [0, inf) ([1, t-1] for a `<t` cell, its value
    when known); every relation narrows each of its nodes to what the others leave. Returns (low, high).
    """
    rel, node, coef = relations.arrays()
    low = np.where(small, 1.0, 0.0)
    high = np.where(small, float(threshold - 1), np.inf)
    low[known], high[known] = values[known], values[known]
    count = relations.count
    for _ in range(rounds):
        lo_term = np.where(coef > 0, low[node], -high[node])  # coef * x at its smallest
        hi_term = np.where(coef > 0, high[node], -low[node])
        lo_inf = np.isinf(lo_term)
        hi_inf = np.isinf(hi_term)
        lo_sum = np.bincount(rel, weights=np.where(lo_inf, 0.0, lo_term), minlength=count)
        hi_sum = np.bincount(rel, weights=np.where(hi_inf, 0.0, hi_term), minlength=count)
        lo_n = np.bincount(rel[lo_inf], minlength=count)
        hi_n = np.bincount(rel[hi_inf], minlength=count)
        # the others' sum for each term: total minus its own part (infinite when another part is)
        others_lo = np.where(lo_n[rel] - lo_inf > 0, -np.inf, lo_sum[rel] - np.where(lo_inf, 0.0, lo_term))
        others_hi = np.where(hi_n[rel] - hi_inf > 0, np.inf, hi_sum[rel] - np.where(hi_inf, 0.0, hi_term))
        # coef * x = -(others): x in [-others_hi, -others_lo] / coef
        new_lo = np.where(coef > 0, -others_hi, others_lo)
        new_hi = np.where(coef > 0, -others_lo, others_hi)
        tight_lo = np.full(len(low), -np.inf)
        tight_hi = np.full(len(high), np.inf)
        np.maximum.at(tight_lo, node, new_lo)
        np.minimum.at(tight_hi, node, new_hi)
        next_low = np.maximum(low, tight_lo)
        next_high = np.minimum(high, tight_hi)
        if np.allclose(next_low, low, equal_nan=True) and np.allclose(next_high, high, equal_nan=True):
            break
        low, high = next_low, next_high
    return low, high


def path(derivation: Derivation, members: dict[int, list[int]], start: int, visible: np.ndarray) -> set[int]:
    """The visible nodes an outsider used to derive `start`: hiding one of them breaks this derivation.

    `members` maps each relation to its nodes (Relations.members()).
    """
    used: set[int] = set()
    seen: set[int] = set()
    stack = [start]
    while stack:
        current = stack.pop()
        if current in seen:
            continue
        seen.add(current)
        for r in derivation.given_by[current]:
            for other in members[r]:
                if other == current or other in seen:
                    continue
                if visible[other]:
                    used.add(other)
                elif derivation.given_by[other]:
                    stack.append(other)
    return used
