"""Solving the attacker's model: each hidden cell's smallest and largest value for each attacker, by HiGHS."""

from __future__ import annotations

from dataclasses import dataclass

import highspy
import numpy as np
import pandas as pd
from scipy.sparse import csr_matrix

from bench.harness.attack_model import Model

OUTSIDER = "outsider"
INF = highspy.kHighsInf
CERTIFY_ROUNDS = 4


@dataclass
class Report:
    ranges: pd.DataFrame  # one row per hidden cell and attacker: low, high, true, need, width, ok

    @property
    def pinned(self) -> int:
        failing = self.ranges[~self.ranges["ok"]]
        return int((failing["width"] < 1 - 1e-6).sum())

    @property
    def narrowed(self) -> int:
        failing = self.ranges[~self.ranges["ok"]]
        return int((~failing["small"].astype(bool) & (failing["width"] >= 1 - 1e-6)).sum())

    @property
    def failures(self) -> pd.DataFrame:
        return self.ranges[~self.ranges["ok"]]


def attack(model: Model, threshold: int, attackers: list[str] | None = None) -> Report:
    """The range of every target for each attacker (the outsider and every member by default)."""
    attackers = attackers or [OUTSIDER, *sorted(set(model.owner))]
    solver = _Solver(model)
    truth = np.asarray(model.truth)
    rows = []
    for attacker in attackers:
        fixed = np.asarray(model.owner) == attacker
        published_rests = {frozenset((c, v) for c, v in e.items() if not fixed[c]) for e in model.shown}
        for key, low, high in solver.ranges(fixed, threshold):
            cell = model.targets[key]
            if cell.get("owner") == attacker:
                continue
            value = sum(coef * truth[column] for column, coef in key)
            own = sum(coef * truth[column] for column, coef in key if fixed[column])
            if value < 1 - 1e-9 and ("owner" in cell or "folded" in cell):
                continue  # nobody there: a member that had nobody, a folded cell that is 0
            if attacker != OUTSIDER and value - own < 1 - 1e-9:
                continue  # the member holds the whole cell: nobody else's figure is at stake
            if attacker != OUTSIDER and frozenset((c, v) for c, v in key if not fixed[c]) in published_rests:
                continue  # what the others hold here is a published figure (e.g. before the member's revision)
            need = 1.0 if cell["small"] else float(threshold)
            rows.append({**cell, "attacker": attacker, "true": value, "low": low, "high": high, "need": need})
    frame = pd.DataFrame(rows)
    if frame.empty:
        frame = pd.DataFrame(columns=["attacker", "true", "low", "high", "need", "small"])
    frame["width"] = frame["high"] - frame["low"]
    frame["ok"] = frame["width"] >= frame["need"] - 1e-6
    return Report(frame)


class _Solver:
    """The model as one LP; each target's minimum and maximum (capped at its need) by HiGHS."""

    def __init__(self, model: Model) -> None:
        self.model = model
        n = len(model.truth)
        rows = [terms for terms, _ in model.equal] + [terms for terms, _, _ in model.between]
        rows += [dict(key) for key in model.targets]
        low = [rhs for _, rhs in model.equal] + [lo for _, lo, _ in model.between] + [-np.inf] * len(model.targets)
        high = [rhs for _, rhs in model.equal] + [hi for _, _, hi in model.between] + [np.inf] * len(model.targets)
        data, cols, ptr = [], [], [0]
        for terms in rows:
            cols += list(terms)
            data += list(terms.values())
            ptr.append(len(cols))
        self.matrix = csr_matrix((data, cols, ptr), shape=(len(rows), n)).tocsc()
        self.row_low, self.row_high = np.array(low, dtype=float), np.array(high, dtype=float)
        self.first_target = len(rows) - len(model.targets)

    def ranges(self, fixed: np.ndarray, threshold: int) -> list[tuple[frozenset, float, float]]:
        """Low and high of every target: seen in a few joint programmes, exact where those do not suffice."""
        truth = np.asarray(self.model.truth)
        highs = self._highs(np.where(fixed, truth, 0.0), np.where(fixed, truth, np.inf))
        keys = list(self.model.targets)
        value = np.array([sum(coef * truth[c] for c, coef in key) for key in keys])
        need = np.array([1.0 if self.model.targets[k]["small"] else float(threshold) for k in keys])
        rows = np.arange(self.first_target, self.first_target + len(keys), dtype=np.int32)
        # every target's row is capped a little past its need, so each programme stays bounded
        highs.changeRowsBounds(len(rows), rows, value - need - 1, value + need + 1)
        low, high = value.copy(), value.copy()
        rng = np.random.default_rng(2026)
        for signs in [np.ones(len(keys)), -np.ones(len(keys))] + [
            rng.choice([-1.0, 1.0], len(keys)) for _ in range(CERTIFY_ROUNDS)
        ]:
            open_ = high - low < need - 1e-6
            if not open_.any():
                break
            seen = self._joint(highs, keys, np.where(open_, signs * rng.uniform(0.5, 1.5, len(keys)), 0.0))
            low, high = np.minimum(low, seen), np.maximum(high, seen)
        # Exact ranges: every other target free again (their caps would bound this one), this one capped.
        highs.changeRowsBounds(len(rows), rows, np.full(len(rows), -INF), np.full(len(rows), INF))
        for i in np.flatnonzero(high - low < need - 1e-6):
            highs.changeRowBounds(int(rows[i]), value[i] - need[i] - 1, value[i] + need[i] + 1)
            low[i] = self._extreme(highs, keys[i], 1.0)
            high[i] = self._extreme(highs, keys[i], -1.0)
            highs.changeRowBounds(int(rows[i]), -INF, INF)
        return list(zip(keys, low.tolist(), high.tolist(), strict=True))

    def _joint(self, highs, keys: list[frozenset], weights: np.ndarray) -> np.ndarray:  # type: ignore[no-untyped-def]
        """Every target's value at the optimum of `sum(weight * target)` (maximised)."""
        cost = np.zeros(self.matrix.shape[1])
        for key, weight in zip(keys, weights, strict=True):
            for column, coef in key:
                cost[column] -= weight * coef
        highs.changeColsCost(len(cost), np.arange(len(cost), dtype=np.int32), cost)
        highs.run()
        if highs.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            raise AssertionError(f"the published figures are inconsistent with the data: {highs.getModelStatus()}")
        x = np.asarray(highs.getSolution().col_value)
        highs.changeColsCost(len(cost), np.arange(len(cost), dtype=np.int32), np.zeros(len(cost)))
        return np.array([sum(coef * x[c] for c, coef in key) for key in keys])

    def _extreme(self, highs, key: frozenset, sense: float) -> float:  # type: ignore[no-untyped-def]
        columns = np.array([c for c, _ in key], dtype=np.int32)
        coefs = np.array([coef for _, coef in key])
        highs.changeColsCost(len(columns), columns, sense * coefs)
        highs.run()
        status = highs.getModelStatus()
        value = sense * highs.getInfo().objective_function_value
        highs.changeColsCost(len(columns), columns, np.zeros(len(columns)))
        if status != highspy.HighsModelStatus.kOptimal:
            raise AssertionError(f"the published figures are inconsistent with the data: {status}")
        return float(value)

    def _highs(self, low: np.ndarray, high: np.ndarray):  # type: ignore[no-untyped-def]
        core = getattr(getattr(highspy, "_core", None), "_Highs", highspy.Highs)
        highs = core()
        highs.setOptionValue("output_flag", False)
        lp = highspy.HighsLp()
        lp.num_col_, lp.num_row_ = self.matrix.shape[1], self.matrix.shape[0]
        lp.col_cost_ = np.zeros(self.matrix.shape[1])
        lp.col_lower_, lp.col_upper_ = low, np.where(np.isinf(high), INF, high)
        lp.row_lower_ = np.where(np.isinf(self.row_low), -INF, self.row_low)
        lp.row_upper_ = np.where(np.isinf(self.row_high), INF, self.row_high)
        lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        lp.a_matrix_.start_, lp.a_matrix_.index_, lp.a_matrix_.value_ = (
            self.matrix.indptr,
            self.matrix.indices,
            self.matrix.data,
        )
        highs.passModel(lp)
        return highs
