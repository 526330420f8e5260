"""How far an attacker can move a hidden figure: small linear programmes around it.

A *perturbation* y changes the unknown nodes of a model while every relation still
holds and every visible node stays as published (y = 0). If some perturbation moves
a hidden cell up by u and another down by d, the attacker cannot tell the true value
from any in that range: its width is at least u + d (DATA-CONTRACT 8.7).

To stay fast, a perturbation is first sought in a small neighbourhood of the cell
(nodes a few relations away; everything further is held at its true value). A
perturbation found there is a valid one of the whole system, so a cell certified
locally is certified; only cells that fail locally are tried on wider neighbourhoods
and, at last, their whole connected component (exact).

`repair` answers the opposite question: which visible cells, if hidden, would let a
perturbation of the needed size exist, choosing the cheapest (cost x change) by
linear programming (the Fischetti-Salazar model, as tau-argus uses it).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

import highspy
import numpy as np
from scipy.sparse import csr_matrix

from etl.disclosure.nodes import Relations

TOLERANCE = 1e-7
AUDIT_HOPS = (2, 4, 8)  # relations away from the figure; a figure not certified within 8 is repaired
REPAIR_HOPS = (6, None)  # a small neighbourhood can only offer dear choices: look wider for cheaper ones
REGULARISATION = 1e-5  # cost per unit a witness moves any other node (kept far below the target's gain of 1)
INF = highspy.kHighsInf
COLUMN_WISE = int(highspy.MatrixFormat.kColwise)
MINIMISE = int(highspy.ObjSense.kMinimize)


@dataclass(frozen=True)
class Witness:
    """A perturbation: the nodes it moves and by how much."""

    nodes: np.ndarray
    moves: np.ndarray

    def move(self, node: int) -> float:
        return self._moves.get(node, 0.0)

    @cached_property
    def _moves(self) -> dict[int, float]:
        """Each node's move, looked up a million times in a year's protection (the first, if one repeats)."""
        return dict(zip(self.nodes.tolist()[::-1], self.moves.tolist()[::-1], strict=True))

    def holds(self, low: np.ndarray, high: np.ndarray, sign: float = 1.0) -> bool:
        """Is the perturbation (or, with sign -1, its mirror image) allowed by these bounds?"""
        moves = sign * self.moves
        return bool(np.all(moves >= low[self.nodes] - 1e-9) and np.all(moves <= high[self.nodes] + 1e-9))


EMPTY = Witness(np.zeros(0, dtype=np.int64), np.zeros(0))


class Auditor:
    """The relations of one model as sparse matrices, and the linear programmes over them."""

    def __init__(self, relations: Relations, values: np.ndarray, sizes: np.ndarray | None = None) -> None:
        shape = (relations.count, len(values))
        self.sizes = sizes  # members in each node's group: moving a small group's figure costs more
        self.rel = np.asarray(relations.rel, dtype=np.int64)
        self.node = np.asarray(relations.node, dtype=np.int64)
        self.coef = np.asarray(relations.coef, dtype=float)
        rows = csr_matrix((self.coef, (self.rel, self.node)), shape=shape)
        self.touch = csr_matrix((np.ones(len(self.rel)), (self.rel, self.node)), shape=shape)
        self.touch_t = csr_matrix(self.touch.T)
        self.upper = np.asarray(relations.upper, dtype=bool)
        # An inequality `sum(coef * x) <= 0` leaves the perturbation `sum(coef * y) <= slack`
        # (an insider's is smaller: see attackers.Knowledge.slack).
        self.slack = np.where(self.upper, -(rows @ values), 0.0)
        self.rows = rows
        self.solver = _Solver()
        self._moved: dict[int, tuple[Witness, np.ndarray, np.ndarray]] = {}  # see _inequalities_moved

    def neighbourhood(self, start: int, free: np.ndarray, hops: int | None) -> np.ndarray:
        """Free nodes within `hops` relations of `start` (None: its whole connected component)."""
        reached = np.zeros(len(free), dtype=bool)
        reached[start] = True
        frontier = reached.copy()
        steps = 0
        while frontier.any() and (hops is None or steps < hops):
            relations = (self.touch @ frontier) > 0
            nodes = (self.touch_t @ relations) > 0
            frontier = nodes & free & ~reached
            reached |= frontier
            steps += 1
        return np.flatnonzero(reached)

    def slack_for(self, own: np.ndarray | None) -> np.ndarray:
        """The inequalities' room for the rest of the network, given a member's own part of each node.

        `part <= whole` holds for every member, so for the others together it is
        `part - own part <= whole - own whole`: a member's own slack is not the others' to use.
        """
        if own is None:
            return self.slack
        return np.where(self.upper, self.slack + self.rows @ own, 0.0)

    def fitter(self, slack: np.ndarray) -> Callable[[Witness, float], bool]:
        """Does a perturbation (sign 1) or its mirror image (-1) keep every inequality within `slack`?"""
        if not self.upper.any():
            return lambda witness, sign: True
        short = np.flatnonzero(self.upper & (slack < -1e-9))  # broken already: only a move that eases them fits

        def fits(witness: Witness, sign: float) -> bool:
            if not len(witness.nodes):
                return True
            rows, used = self._inequalities_moved(witness)
            if len(short) and not np.isin(short, rows).all():
                return False
            return bool(np.all(sign * used <= slack[rows] + 1e-9))

        return fits

    def _inequalities_moved(self, witness: Witness) -> tuple[np.ndarray, np.ndarray]:
        """The inequalities a witness moves, and by how much: worked out once per witness (a pool checks
        each one hundreds of times). The cache holds the witness, so its id is never another's."""
        known = self._moved.get(id(witness))
        if known is None:
            moved = np.zeros(self.rows.shape[1])
            moved[witness.nodes] = witness.moves
            used = self.rows @ moved
            rows = np.flatnonzero(self.upper & (used != 0))
            known = self._moved[id(witness)] = (witness, rows, used[rows])
        return known[1], known[2]

    def room(
        self,
        target: int,
        sign: float,
        cap: float,
        low: np.ndarray,
        high: np.ndarray,
        hops_tried: tuple | None = None,
        slack: np.ndarray | None = None,
    ) -> tuple[float, Witness]:
        """How far (up to `cap`) the target can move in direction `sign`, and a perturbation that does it."""
        free = low < high
        if not free[target]:
            return 0.0, EMPTY
        best = (0.0, EMPTY)
        size = -1
        for hops in hops_tried or AUDIT_HOPS:
            nodes = self.neighbourhood(target, free, hops)
            if len(nodes) == size:
                continue  # the neighbourhood stopped growing: a wider one gives the same answer
            size = len(nodes)
            found = self._move(target, nodes, sign, cap, low, high, self.slack if slack is None else slack)
            best = max(best, found, key=lambda pair: pair[0])
            if best[0] >= cap - TOLERANCE:
                break
        return best

    def _move(
        self,
        target: int,
        nodes: np.ndarray,
        sign: float,
        cap: float,
        low: np.ndarray,
        high: np.ndarray,
        slack: np.ndarray,
    ) -> tuple[float, Witness]:
        """The target moved as far as `cap` allows, every other node as little as it can (a sparse witness).

        A small cost per unit moved keeps the witness short, and dearer for small groups and for
        downward moves: those are what a member knowing its own figures cannot follow, so the
        witness then serves the insiders too.
        """
        at = int(np.searchsorted(nodes, target))
        up, down = self._regularisation(nodes)
        up[at], down[at] = -sign, sign
        bounds = (max(low[target], -cap), min(high[target], cap))
        moves = self._split(nodes, at, bounds, up, down, low, high, slack)
        if moves is None:
            return 0.0, EMPTY
        return float(max(0.0, sign * moves[at])), _witness(nodes, moves)

    def _regularisation(self, nodes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        size = self.sizes[nodes] if self.sizes is not None else np.ones(len(nodes))
        penalty = REGULARISATION * (1.0 + 4.0 / np.maximum(size, 1))
        return penalty.copy(), 2.0 * penalty

    def _split(
        self,
        nodes: np.ndarray,
        at: int,
        target_bounds: tuple[float, float],
        up_cost: np.ndarray,
        down_cost: np.ndarray,
        low: np.ndarray,
        high: np.ndarray,
        slack: np.ndarray,
        paid: np.ndarray | None = None,
    ) -> np.ndarray | None:
        """Solve with each node's move split into an upward and a downward part (y = u - d), costed apart.

        `paid` (default: every node but the target) marks the nodes split so; the others keep one
        column bounded by `low`/`high` with cost `up_cost`.
        """
        if paid is None:
            paid = np.ones(len(nodes), dtype=bool)
            paid[at] = False
        extra = nodes[paid]
        lower = np.concatenate([np.where(paid, 0.0, low[nodes]), np.zeros(len(extra))])
        upper = np.concatenate(
            [np.where(paid, np.maximum(high[nodes], 0.0), high[nodes]), np.maximum(-low[extra], 0.0)]
        )
        lower[at], upper[at] = target_bounds
        cost = np.concatenate([up_cost, down_cost[paid]])
        matrix, row_low, row_high = self._rows_for(nodes, slack, extra)
        solution = self.solver.solve(cost, lower, upper, matrix, row_low, row_high)
        if solution is None:
            return None
        moves = solution[: len(nodes)].copy()
        moves[np.flatnonzero(paid)] -= solution[len(nodes) :]
        return moves

    def _rows_for(
        self, nodes: np.ndarray, slack: np.ndarray, extra: np.ndarray | None = None
    ) -> tuple[Columns, np.ndarray, np.ndarray]:
        """The relations touching `nodes`, restricted to them (columns in the order of `nodes`, then `extra`
        with coefficients negated: a second column per paid node, for its downward move)."""
        position = np.full(self.touch.shape[1], -1, dtype=np.int64)
        position[nodes] = np.arange(len(nodes))
        inside = position[self.node] >= 0
        relations = np.unique(self.rel[inside])
        row_of = np.full(len(self.upper), -1, dtype=np.int64)
        row_of[relations] = np.arange(len(relations))
        columns = [position[self.node[inside]]]
        rows = [row_of[self.rel[inside]]]
        coefs = [self.coef[inside]]
        if extra is not None and len(extra):
            second = np.full(self.touch.shape[1], -1, dtype=np.int64)
            second[extra] = len(nodes) + np.arange(len(extra))
            paid = inside & (second[self.node] >= 0)
            columns.append(second[self.node[paid]])
            rows.append(row_of[self.rel[paid]])
            coefs.append(-self.coef[paid])
        width = len(nodes) + (0 if extra is None else len(extra))
        matrix = Columns.of(np.concatenate(columns), np.concatenate(rows), np.concatenate(coefs), width)
        row_low = np.where(self.upper[relations], -INF, 0.0)
        return matrix, row_low, slack[relations]

    def repair(
        self,
        target: int,
        sign: float,
        need: float,
        low: np.ndarray,
        high: np.ndarray,
        candidate: np.ndarray,
        weight: np.ndarray,
        slack: np.ndarray | None = None,
    ) -> tuple[list[int], Witness] | None:
        """The cheapest candidate nodes to hide so that the target can move `need` in direction `sign`.

        `low`/`high` bound each node's move as if the candidates were hidden already;
        `candidate` marks the visible nodes that may be hidden, `weight` their cost per unit moved.
        """
        if (sign > 0 and high[target] < need - TOLERANCE) or (sign < 0 and low[target] > -need + TOLERANCE):
            return None
        movable = (low < high) | candidate
        size = -1
        for hops in REPAIR_HOPS:
            nodes = self.neighbourhood(target, movable, hops)
            if len(nodes) == size:
                continue
            size = len(nodes)
            found = self._cheapest(target, nodes, sign, need, low, high, candidate, weight, slack)
            if found is not None:
                return found
        return None

    def _cheapest(
        self,
        target: int,
        nodes: np.ndarray,
        sign: float,
        need: float,
        low: np.ndarray,
        high: np.ndarray,
        candidate: np.ndarray,
        weight: np.ndarray,
        slack: np.ndarray | None = None,
    ) -> tuple[list[int], Witness] | None:
        """min sum(weight * |y|) over the candidates, with the target moved by `need`."""
        at = int(np.searchsorted(nodes, target))
        paid = candidate[nodes] & (nodes != target)
        up, down = self._regularisation(nodes)
        cost = np.where(paid, weight[nodes], up)
        bounds = (need, high[target]) if sign > 0 else (low[target], -need)
        everyone = np.ones(len(nodes), dtype=bool)
        everyone[at] = False
        rest = self.slack if slack is None else slack
        moves = self._split(nodes, at, bounds, cost, np.where(paid, weight[nodes], down), low, high, rest, everyone)
        if moves is None:
            return None
        hidden = [int(n) for n, y in zip(nodes, moves, strict=True) if candidate[n] and abs(y) > TOLERANCE]
        return hidden, _witness(nodes, moves)


@dataclass(frozen=True)
class Columns:
    """A sparse matrix in HiGHS's column-wise form."""

    start: np.ndarray
    index: np.ndarray
    value: np.ndarray
    rows: int

    @classmethod
    def of(cls, columns: np.ndarray, rows: np.ndarray, values: np.ndarray, width: int) -> Columns:
        order = np.lexsort((rows, columns))
        start = np.concatenate([[0], np.cumsum(np.bincount(columns, minlength=width))])
        return cls(start, rows[order], values[order], int(rows.max(initial=-1)) + 1)


def _witness(nodes: np.ndarray, moves: np.ndarray) -> Witness:
    moved = np.abs(moves) > TOLERANCE
    return Witness(nodes[moved].astype(np.int64), moves[moved])


class _Solver:
    """One HiGHS instance, reused for every small programme (a new model costs about 0.2 ms)."""

    def __init__(self) -> None:
        # highspy's public `Highs` wrapper prints a banner on stdout when it installs its callbacks;
        # the core class it wraps is the same solver without them.
        core = getattr(getattr(highspy, "_core", None), "_Highs", highspy.Highs)
        self.highs = core()
        self.highs.setOptionValue("output_flag", False)
        self.highs.setOptionValue("random_seed", 0)
        self.highs.setOptionValue("presolve", "off")  # small programmes: presolve costs more than it saves

    def solve(
        self,
        cost: np.ndarray,
        lower: np.ndarray,
        upper: np.ndarray,
        matrix: Columns,
        row_low: np.ndarray,
        row_high: np.ndarray,
    ) -> np.ndarray | None:
        columns, rows = len(cost), len(row_low)
        self.highs.passModel(  # the array form: building a HighsLp object costs more than solving a small one
            columns,
            rows,
            len(matrix.value),
            COLUMN_WISE,
            MINIMISE,
            0.0,
            np.ascontiguousarray(cost, dtype=float),
            np.where(np.isinf(lower), -INF, lower).astype(float),
            np.where(np.isinf(upper), INF, upper).astype(float),
            np.where(np.isinf(row_low), -INF, row_low).astype(float),
            np.where(np.isinf(row_high), INF, row_high).astype(float),
            matrix.start.astype(np.int32),
            matrix.index.astype(np.int32),
            np.ascontiguousarray(matrix.value, dtype=float),
            np.zeros(columns, dtype=np.int32),
        )
        self.highs.run()
        if self.highs.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            return None
        return np.asarray(self.highs.getSolution().col_value, dtype=float)
