"""The attack: the tightest range an outsider can derive for every hidden published cell.

Built on its own, from the members' exact cells and the contract's rules, not from
the protection engine's relations, so that a gap in the engine's model shows up
here. For one cluster (a measure and a year) the outsider knows:

- every published cell (all members and each like-for-like group, year and halves,
  breakdowns and their margins) and which members reported each table;
- that a visible cell is exact, a `<t` cell lies in 1..t-1, an `x` cell is >= 0;
- the contract's structure for each member: a breakdown sums to its total
  (labour_sector to the exploitation_form LAB cell), a cross to its one-dimension
  margins, and a year built from halves is H1 + H2 (stock measures: H2);
- every member's count of every cell is a number >= 0 (integers relaxed).

For each hidden cell, linear programming (scipy's HiGHS) gives the smallest and
largest value consistent with all of that. A hidden cell is *pinned* when the two
are equal. Reusable: tests of other outputs can pass their own published rows.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.optimize import linprog
from scipy.sparse import csr_matrix

TOTAL = "_T"
KEY = ["kind", "dim1", "code1", "dim2", "code2"]
LABOUR_WHOLE = ("exploitation_form", "LAB", TOTAL, TOTAL)
CERTIFY_ROUNDS = 6
WITHHELD = ("members", "group")
OTHER_IN_GROUP = {"EU_OTH": "OTH_EU", "NON_EU": "OTH_NON_EU"}


@dataclass
class Report:
    ranges: pd.DataFrame  # the published hidden rows with low, high, true, width, pinned

    @property
    def pinned(self) -> int:
        return int(self.ranges["pinned"].sum()) if not self.ranges.empty else 0

    @property
    def hidden(self) -> int:
        return len(self.ranges)

    @property
    def median_width(self) -> float:
        """Median exact range width (over the cells whose range was solved exactly)."""
        exact = self.ranges[self.ranges["exact"]] if not self.ranges.empty else self.ranges
        return float(exact["width"].median()) if not exact.empty else float("nan")

    def summary(self, label: str) -> str:
        return f"{label}: {self.hidden} hidden cells, {self.pinned} pinned, median range width {self.median_width:.1f}"


class _Model:
    def __init__(self) -> None:
        self.index: dict[tuple, int] = {}
        self.eq_rows: list[dict[int, float]] = []
        self.eq_rhs: list[float] = []
        self.ub_rows: list[dict[int, float]] = []
        self.ub_rhs: list[float] = []

    def var(self, key: tuple) -> int:
        return self.index.setdefault(key, len(self.index))

    def equal(self, terms: dict[int, float], rhs: float) -> None:
        if terms:
            self.eq_rows.append(terms)
            self.eq_rhs.append(rhs)

    def between(self, terms: dict[int, float], low: float, high: float) -> None:
        self.ub_rows.append(terms)
        self.ub_rhs.append(high)
        self.ub_rows.append({k: -v for k, v in terms.items()})
        self.ub_rhs.append(-low)

    def matrices(self) -> tuple:
        n = len(self.index)
        return _sparse(self.eq_rows, n), np.array(self.eq_rhs), _sparse(self.ub_rows, n), np.array(self.ub_rhs)


def _sparse(rows: list[dict[int, float]], n: int) -> csr_matrix | None:
    if not rows:
        return None
    data, cols, ptr = [], [], [0]
    for row in rows:
        cols += list(row)
        data += list(row.values())
        ptr.append(len(cols))
    return csr_matrix((data, cols, ptr), shape=(len(rows), n))


def fold_like_published(members: pd.DataFrame, published: pd.DataFrame) -> pd.DataFrame:
    """Move the countries the published tables do not show into their group's "other" code."""
    from etl.codebook import load_codebook

    book = load_codebook().codes["citizenship"]
    shown = set(published.loc[published["dim1"] == "citizenship", "code1"])
    shown |= set(published.loc[published["dim2"] == "citizenship", "code2"])
    out = members.copy()
    for column, dim in (("code1", "dim1"), ("code2", "dim2")):
        rows = out[dim].eq("citizenship")
        mapping = {
            code: OTHER_IN_GROUP[book[code].parent]
            for code in set(out.loc[rows, column])
            if code not in shown and code in book and book[code].parent in OTHER_IN_GROUP and len(code) == 2
        }
        out.loc[rows, column] = out.loc[rows, column].replace(mapping)
    group = ["org_code", *KEY]
    nulls = out["value"].isna().groupby([out[c] for c in group]).any()
    summed = out.groupby(group)["value"].sum().where(~nulls)
    derived = out.groupby(group)["derived"].all()
    return pd.concat([summed, derived], axis=1).reset_index()


def hidden_to_attack(published: pd.DataFrame, keep_withheld: bool = False) -> pd.DataFrame | None:
    """The published rows to attack: all but the tables withheld whole (None when nothing is hidden).

    A withheld table (fewer than 3 members, or a like-for-like or half-year group
    differing from a neighbour by 1-2 members) is not offered at all: all its cells
    are x and constrain nothing. Some of them equal figures published elsewhere (a
    cross's margin is the one-dimension cell), so "pinned" would only mean "already
    public" there. What withholding protects, one member's figures, is attacked
    separately (`member_totals`).
    """
    rows = published if keep_withheld else published[~published["reason"].isin(WITHHELD)]
    if not rows["value"].isna().any():
        return None
    return rows


def _build(members: pd.DataFrame, published: pd.DataFrame, subsets: dict, threshold: int, nature: str,
           multi_response: bool) -> tuple[_Model, dict, list]:  # fmt: skip
    cells = _complete(fold_like_published(members, published))
    model = _Model()
    values = {tuple(r[1:]): v for r, v in zip(cells[["org_code", *KEY]].itertuples(), cells["value"], strict=True)}
    for key in values:
        model.var(key)
    _member_structure(model, cells, values, nature, multi_response)
    expressions = _published(model, cells, published, subsets, threshold)
    return model, values, expressions


def attack(
    members: pd.DataFrame,
    published: pd.DataFrame,
    subsets: dict[str, frozenset[str] | None],
    threshold: int,
    nature: str = "additive",
    multi_response: bool = False,
    exact: int | None = None,
) -> Report:
    """Ranges of every hidden cell of `published` (columns subset, kind, dim1..code2, value, flag).

    `exact`: how many hidden cells get their exact range (None: all); the others are
    only certified not pinned. `members`: the member cells of the same measure and year
    (org_code, kind, dim1..code2, value, derived), before or after folding.
    `subsets`: which members each subset holds (None: all).
    """
    model, values, expressions = _build(members, published, subsets, threshold, nature, multi_response)
    return _ranges(model, expressions, values, published, exact)


def member_totals(
    members: pd.DataFrame, published: pd.DataFrame, subsets: dict, threshold: int, nature: str = "additive"
) -> pd.DataFrame:
    """The range an outsider can derive for each member's total of each period (org_code, kind, low, high)."""
    model, values, _ = _build(members, published, subsets, threshold, nature, False)
    a_eq, b_eq, a_ub, b_ub = model.matrices()
    n = len(model.index)
    rows = []
    for key, index in model.index.items():
        org, kind, dim1, _, dim2, _ = key
        if dim1 != TOTAL or dim2 != TOTAL:
            continue
        cost = np.zeros(n)
        cost[index] = 1.0
        low = float(_solve(cost, a_eq, b_eq, a_ub, b_ub)[index])
        top = _solve(-cost, a_eq, b_eq, a_ub, b_ub, bounded=False)
        high = float(top[index])
        rows.append((org, kind, low, high, values[key]))
    frame = pd.DataFrame(rows, columns=["org_code", "kind", "low", "high", "true"])
    frame["width"] = frame["high"] - frame["low"]
    frame["pinned"] = frame["width"] < 1e-6
    return frame


def _complete(cells: pd.DataFrame) -> pd.DataFrame:
    """One unknown per member reporting a table and per code the table shows (a row a member left out is 0).

    The outsider sees which codes a table has and which members reported it, not
    which member listed which row.
    """
    cells = cells[cells["value"].notna()]
    table = ["kind", "dim1", "dim2"]
    codes = cells[[*table, "code1", "code2"]].drop_duplicates()
    reporters = cells[["org_code", *table]].drop_duplicates()
    grid = reporters.merge(codes, on=table)
    full = grid.merge(cells, on=["org_code", *KEY], how="left")
    full["value"] = full["value"].fillna(0.0)
    derived = cells.groupby(["org_code", *table])["derived"].all().rename("_table_derived")
    full = full.merge(derived.reset_index(), on=["org_code", *table], how="left")
    full["derived"] = full["derived"].fillna(full["_table_derived"]).astype(bool)
    return full.drop(columns=["_table_derived"])


def _member_structure(model: _Model, cells: pd.DataFrame, values: dict, nature: str, multi_response: bool) -> None:
    tables = cells.groupby(["org_code", "kind", "dim1", "dim2"])
    reported = {key for key in tables.groups}
    for (org, kind, dim1, dim2), table in tables:
        if dim1 == TOTAL:
            continue
        inner = [(org, kind, dim1, c1, dim2, c2) for c1, c2 in zip(table["code1"], table["code2"], strict=True)]
        if dim2 == TOTAL:
            if multi_response:
                continue
            whole = LABOUR_WHOLE if dim1 == "labour_sector" else (TOTAL, TOTAL, TOTAL, TOTAL)
            _sum_rule(model, values, (org, kind, *whole), inner)
            continue
        for axis, dim in ((3, dim1), (5, dim2)):
            if (org, kind, dim, TOTAL) not in reported:
                continue
            for code in {k[axis] for k in inner}:
                parts = [k for k in inner if k[axis] == code]
                _sum_rule(model, values, (org, kind, dim, code, TOTAL, TOTAL), parts, absent_is_zero=True)
        if (org, kind, dim1, TOTAL) not in reported and (org, kind, dim2, TOTAL) not in reported:
            _sum_rule(model, values, (org, kind, TOTAL, TOTAL, TOTAL, TOTAL), inner)
    if nature == "non_additive":
        return
    halves = ("H1", "H2") if nature == "additive" else ("H2",)
    for row in cells[cells["derived"] & (cells["kind"] == "Y")].itertuples(index=False):
        year = (row.org_code, "Y", row.dim1, row.code1, row.dim2, row.code2)
        if not all((row.org_code, half, row.dim1, row.dim2) in reported for half in halves):
            continue
        parts = [(row.org_code, half, row.dim1, row.code1, row.dim2, row.code2) for half in halves]
        _sum_rule(model, values, year, parts, absent_is_zero=True)


def _sum_rule(model: _Model, values: dict, whole: tuple, parts: list[tuple], absent_is_zero: bool = False) -> None:
    """whole = sum(parts), when the member's data satisfy it (the contract says they must)."""
    if whole not in values and not absent_is_zero:
        return
    present = [p for p in parts if p in values]
    if abs(values.get(whole, 0) - sum(values[p] for p in present)) > 1e-9:
        return
    terms: dict[int, float] = {model.var(p): -1.0 for p in present}
    if whole in values:
        terms[model.var(whole)] = terms.get(model.var(whole), 0) + 1.0
    model.equal(terms, 0.0)


def _published(
    model: _Model, cells: pd.DataFrame, published: pd.DataFrame, subsets: dict, threshold: int
) -> list[tuple[tuple, dict[int, float]]]:
    """Constraints from visible and `<t` cells; the expressions of the hidden ones."""
    reporters = cells.groupby(["kind", "dim1", "dim2"])["org_code"].agg(frozenset).to_dict()
    inner = cells.groupby(["kind", "dim1", "dim2"])[["code1", "code2"]].apply(
        lambda t: sorted(set(zip(t["code1"], t["code2"], strict=True)))
    )
    hidden = []
    for position, row in zip(published.index, published.itertuples(index=False), strict=True):
        orgs = reporters.get((row.kind, row.dim1, row.dim2), frozenset())
        chosen = subsets.get(row.subset)
        if chosen is not None:
            orgs = orgs & chosen
        codes = [
            (c1, c2)
            for c1, c2 in inner.get((row.kind, row.dim1, row.dim2), [])
            if (row.code1 in (TOTAL, c1) or row.dim1 == TOTAL) and (row.code2 in (TOTAL, c2) or row.dim2 == TOTAL)
        ]
        terms: dict[int, float] = {}
        for org in orgs:
            for c1, c2 in codes:
                key = (org, row.kind, row.dim1, c1, row.dim2, c2)
                if key in model.index:
                    terms[model.index[key]] = 1.0
        flag = row.flag if isinstance(row.flag, str) else ""
        if "c" in flag:
            model.between(terms, 1, threshold - 1)
            hidden.append((position, terms))
        elif "d" in flag:
            hidden.append((position, terms))
        elif not pd.isna(row.value):
            model.equal(terms, float(row.value))
    return hidden


def _ranges(model: _Model, expressions: list, values: dict, published: pd.DataFrame, exact: int | None) -> Report:
    """Low and high of each hidden cell: exact for a sample (or all), certified 'not pinned' for the rest.

    Every hidden cell is moved away from its true value by some feasible point (random
    objectives), or gets its exact minimum and maximum; so `pinned` is exact for all
    cells. `low`/`high` are exact where `exact` is True, else the range seen so far.
    """
    a_eq, b_eq, a_ub, b_ub = model.matrices()
    n = len(model.index)
    truth = np.zeros(n)
    for key, i in model.index.items():
        truth[i] = values.get(key, 0.0)
    unique: dict[frozenset, int] = {}
    for _, terms in expressions:
        unique.setdefault(frozenset(terms), len(unique))
    matrix = _sparse([dict.fromkeys(sig, 1.0) for sig in unique], n)
    true = np.asarray(matrix @ truth).ravel() if matrix is not None else np.zeros(0)
    low, high = true.copy(), true.copy()
    exact_flags = np.zeros(len(unique), dtype=bool)
    rng = np.random.default_rng(20241)
    cap = 2 * float(truth.max(initial=0.0)) + 100  # certification needs some feasible point: keep LPs bounded
    for _ in range(CERTIFY_ROUNDS if len(unique) else 0):
        weights = rng.choice([-1.0, 1.0], size=len(unique)) * rng.uniform(0.5, 1.5, size=len(unique))
        point = _solve(np.asarray(matrix.T @ weights).ravel(), a_eq, b_eq, a_ub, b_ub, cap=cap)
        seen = np.asarray(matrix @ point).ravel()
        low, high = np.minimum(low, seen), np.maximum(high, seen)
    chosen = set(range(len(unique))) if exact is None else set(rng.permutation(len(unique))[:exact].tolist())
    chosen |= {i for i in range(len(unique)) if high[i] - low[i] < 1e-6}
    signatures = list(unique)
    for i in sorted(chosen):
        cost = np.zeros(n)
        cost[list(signatures[i])] = 1.0
        low[i] = float(cost @ _solve(cost, a_eq, b_eq, a_ub, b_ub))
        top = _solve(-cost, a_eq, b_eq, a_ub, b_ub, bounded=False)
        high[i] = np.inf if np.isinf(top).any() else float(cost @ top)
        exact_flags[i] = True
    order = [unique[frozenset(terms)] for _, terms in expressions]
    frame = published.loc[[position for position, _ in expressions]].assign(
        low=low[order], high=high[order], true=true[order], exact=exact_flags[order]
    )
    frame["width"] = frame["high"] - frame["low"]
    frame["pinned"] = frame["width"] < 1e-6
    return Report(frame)


def _solve(cost: np.ndarray, a_eq, b_eq, a_ub, b_ub, bounded: bool = True, cap: float | None = None) -> np.ndarray:  # type: ignore[no-untyped-def]
    result = linprog(cost, A_ub=a_ub, b_ub=b_ub, A_eq=a_eq, b_eq=b_eq, bounds=(0, cap), method="highs")
    if result.status == 3 and not bounded:  # unbounded: any value will do, far from the truth
        return np.full(len(cost), np.inf)
    if result.status != 0:
        raise AssertionError(f"the published figures are inconsistent with the data: {result.message}")
    return np.asarray(result.x)
