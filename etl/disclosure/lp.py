"""The engine's final check: which hidden figures linear programming still pins to one value.

Subtraction and bound propagation (etl.disclosure.exposure) catch most ways to
work out a hidden cell, not all: several tiny hidden cells whose row and column
sums leave exactly one solution need the full attack. This module runs it on the
engine's own node system (each node >= 0, relations exact, visible nodes fixed,
`<t` cells in 1..t-1), one connected group of unknown nodes at a time.

To keep publishing fast, a few LPs with random objectives first move most nodes
away from their true value (such a node is certainly not pinned); only the nodes
that never moved get their own minimum and maximum.
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import linprog
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components

from etl.disclosure.exposure import Relations

CERTIFY_ROUNDS = 2
PUSH_ROUNDS = 4
TOLERANCE = 1e-6


def pinned(
    relations: Relations,
    values: np.ndarray,
    visible: np.ndarray,
    small: np.ndarray,
    targets: np.ndarray,
    threshold: int,
    audited: set[int] | None = None,
    seed: int = 2024,
) -> list[int]:
    """The target nodes whose feasible range is a single value.

    `audited` remembers groups of unknown nodes already found clean (by a fingerprint
    of their nodes and bounds), so a later round only checks the groups that changed.
    """
    if not targets.any() or relations.count == 0:
        return []
    audited = set() if audited is None else audited
    rel, node, coef = relations.arrays()
    matrix = csr_matrix((coef.astype(float), (rel, node)), shape=(relations.count, len(values)))
    unknown = ~visible
    rhs = -(matrix @ np.where(visible, values, 0.0))
    groups = _components(matrix, unknown)
    prints = {}
    for group in np.unique(groups[targets & unknown]).tolist():
        members = np.flatnonzero(groups == group)
        prints[group] = hash((members.tobytes(), small[members].tobytes(), targets[members].tobytes()))
    wanted = [group for group, key in prints.items() if key not in audited]
    if not wanted:
        return []
    columns = np.flatnonzero(np.isin(groups, wanted) & unknown)
    problem = _Problem(matrix, rhs, columns, values, small, threshold)
    watched = np.flatnonzero(targets[columns])
    moved = problem.certify(watched, np.random.default_rng(seed))
    out = []
    for position in watched[~moved].tolist():  # exact minimum and maximum, on the node's own group only
        own = np.flatnonzero(groups == groups[columns[position]])
        single = _Problem(matrix, rhs, own, values, small, threshold)
        if single.stuck(int(np.searchsorted(own, columns[position]))):
            out.append(int(columns[position]))
    dirty = {int(groups[n]) for n in out}
    audited |= {prints[group] for group in wanted if group not in dirty}
    return sorted(out)


def _components(matrix: csr_matrix, unknown: np.ndarray) -> np.ndarray:
    """Connected groups of unknown nodes (two are linked when a relation holds both); -1 for known."""
    restricted = matrix[:, unknown]
    link = (restricted.T @ restricted) != 0
    _, labels = connected_components(link, directed=False)
    out = np.full(len(unknown), -1)
    out[np.flatnonzero(unknown)] = labels
    return out


class _Problem:
    """Nodes `columns` as LP variables; the other unknown nodes are not in any of their relations."""

    def __init__(
        self, matrix: csr_matrix, rhs: np.ndarray, columns: np.ndarray, values: np.ndarray, small: np.ndarray, t: int
    ) -> None:
        sub = matrix[:, columns].tocsr()
        rows = np.flatnonzero(np.diff(sub.indptr) > 0)
        self.a_eq, self.b_eq = sub[rows], rhs[rows]
        self.truth = values[columns]
        low = np.where(small[columns], 1.0, 0.0)
        high = np.where(small[columns], float(t - 1), np.inf)
        self.bounds = np.column_stack([low, high])
        # Certification only needs some feasible point: a cap keeps those LPs bounded.
        self.capped = self.bounds.copy()
        self.capped[:, 1] = np.minimum(high, 2 * float(np.abs(self.truth).max(initial=0.0)) + t + 10)

    def certify(self, watched: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        """Which watched nodes some feasible point moves off their true value (those are not pinned)."""
        moved = np.zeros(len(watched), dtype=bool)
        for _ in range(CERTIFY_ROUNDS):
            weights = rng.choice([-1.0, 1.0], size=len(watched)) * rng.uniform(0.5, 1.5, size=len(watched))
            for sense in (1.0, -1.0):  # every node is pushed up once and down once
                moved |= self._moves(watched, sense * weights)
            if moved.all():
                return moved
        for _ in range(PUSH_ROUNDS):  # push the nodes that have not moved yet their free way, with fresh weights
            still = ~moved
            if not still.any():
                break
            at_cap = self.truth[watched] >= self.capped[watched, 1] - TOLERANCE
            for sense in (-1.0, 1.0):
                weights = rng.uniform(0.5, 1.5, size=len(watched))
                moved |= self._moves(watched, np.where(still, np.where(at_cap, -sense, sense) * weights, 0.0))
        return moved

    def _moves(self, watched: np.ndarray, weights: np.ndarray) -> np.ndarray:
        cost = np.zeros(len(self.truth))
        cost[watched] = weights
        point = _solve(cost, self.a_eq, self.b_eq, self.capped)
        if point is None:
            return np.zeros(len(watched), dtype=bool)
        return np.abs(point[watched] - self.truth[watched]) > TOLERANCE

    def stuck(self, position: int) -> bool:
        """True when the node's minimum and maximum are both its true value."""
        cost = np.zeros(len(self.truth))
        cost[position] = 1.0
        for sense in (1.0, -1.0):
            point = _solve(sense * cost, self.a_eq, self.b_eq, self.bounds)
            if point is None or abs(point[position] - self.truth[position]) > TOLERANCE:
                return False
        return True


def _solve(cost: np.ndarray, a_eq: csr_matrix, b_eq: np.ndarray, bounds: np.ndarray) -> np.ndarray | None:
    result = linprog(cost, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs")
    return np.asarray(result.x) if result.status == 0 else None
