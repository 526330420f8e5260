"""THE ATTACK: the tightest range anyone can derive for every hidden cell of every published version.

Written on its own from the data contract, not from the engine's model, so that a gap
in the engine shows up here. For one year, the attacker holds every retained version:

- every published cell (all members and each like-for-like group, years and halves,
  breakdowns and their margins) and which members reported each table; a visible cell
  is exact, a `<t` cell lies in 1..t-1, an `x` cell is >= 0;
- one unknown >= 0 per member *submission* (an organisation's period, as it stood in a
  version: unchanged, it is the same unknowns in every version; revised, new ones) and
  per code a published table shows;
- the contract's rules for every submission: a breakdown sums to its total
  (labour_sector to the exploitation_form LAB cell, countries to their citizenship
  group), a cross to its one-dimension margins, a year built from halves is H1 + H2
  (stock measures: H2), and a part never exceeds its whole (codebook part_whole.csv).

An *insider* is a member that also knows all of its own submissions. For each hidden
cell and each attacker, linear programming (HiGHS) gives the smallest and largest
value consistent with all of that: a cell is *pinned* when no other whole value is
possible (range < 1), an `x` cell is *narrowed* when its range is under the threshold.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import highspy
import numpy as np
import pandas as pd
from scipy.sparse import csr_matrix

TOTAL = "_T"
OUTSIDER = "outsider"
WITHHELD = ("members", "group", "unsafe", "empty", "fold_row")
KEY = ["measure", "kind", "dim1", "code1", "dim2", "code2"]
LABOUR_WHOLE = ("exploitation_form", "LAB")
OTHER_IN_GROUP = {"EU_OTH": "OTH_EU", "NON_EU": "OTH_NON_EU"}
INF = highspy.kHighsInf
CERTIFY_ROUNDS = 4


@dataclass
class Version:
    """One published version, as everybody can read it (and the members' exact cells behind it)."""

    number: int
    facts: pd.DataFrame  # org_code, measure, year, kind, dim1..code2, value, derived
    cells: pd.DataFrame  # published_cell rows
    groups: dict[tuple[str, str], frozenset[str]]  # (measure, like-for-like subset) -> members


def read_version(path: Path) -> Version:
    with duckdb.connect(str(path), read_only=True) as con:
        number = int(con.execute("SELECT version FROM meta").fetchone()[0])
        facts = con.execute(
            "SELECT org_code, measure, year, kind, dim1, code1, dim2, code2, value::DOUBLE AS value, derived FROM fact"
        ).df()
        cells = con.execute("SELECT * FROM published_cell").df()
        members = con.execute("SELECT measure, subset, org_code FROM published_level_member").df()
    if "offered" not in cells:
        cells["offered"] = ~cells["reason"].isin(WITHHELD)
    groups = {key: frozenset(rows["org_code"]) for key, rows in members.groupby(["measure", "subset"])}
    return Version(number, facts, cells, groups)


@dataclass
class Model:
    columns: dict[tuple, int] = field(default_factory=dict)  # (unit, measure, dim1, code1, dim2, code2) -> column
    truth: list[float] = field(default_factory=list)
    owner: list[str] = field(default_factory=list)
    equal: list[tuple[dict[int, float], float]] = field(default_factory=list)
    between: list[tuple[dict[int, float], float, float]] = field(default_factory=list)
    targets: dict[frozenset, dict] = field(default_factory=dict)  # expression -> the hidden cell it is
    shown: list[dict[int, float]] = field(default_factory=list)  # expressions of the visible cells

    def var(self, key: tuple, value: float, org: str) -> int:
        if key not in self.columns:
            self.columns[key] = len(self.truth)
            self.truth.append(value)
            self.owner.append(org)
        return self.columns[key]


def build(versions: list[Version], year: int, book: dict, threshold: int) -> Model:
    """The attacker's model of one year over all `versions` (book: codebook facts, see `codebook_facts`)."""
    model = Model()
    shown = _countries_shown(versions, year)
    for version in versions:
        facts = _folded(version, year, book, shown)
        if facts.empty:
            continue
        units = _units(facts)
        grid = _grid(version, year)
        variables = _variables(model, facts, units, grid, book)
        _structure(model, variables, book)
        _publish(model, version, year, variables, threshold)
        _member_totals(model, version, variables)
    return model


def _member_totals(model: Model, version: Version, variables: dict) -> None:
    """One member's total of a measure and period is one organisation's figure (8.5): never to be pinned."""
    for (org, measure, kind, dim1, dim2), cells in variables.items():
        expression = cells.get((TOTAL, TOTAL)) if (dim1, dim2) == (TOTAL, TOTAL) else None
        key = frozenset(expression.items()) if expression else None
        if key and key not in model.targets:
            model.targets[key] = {
                "version": version.number, "subset": f"member:{org}", "measure": measure, "kind": kind,
                "dim1": TOTAL, "code1": TOTAL, "dim2": TOTAL, "code2": TOTAL, "small": True, "owner": org,
            }  # fmt: skip


def _countries_shown(versions: list[Version], year: int) -> set[str]:
    """Countries some version shows as rows of their own (the others are folded into "other" in every version)."""
    shown: set[str] = set()
    for version in versions:
        cells = version.cells[(version.cells["year"] == year) & version.cells["offered"]]
        shown |= set(cells.loc[cells["dim1"] == "citizenship", "code1"])
        shown |= set(cells.loc[cells["dim2"] == "citizenship", "code2"])
    return shown


def _folded(version: Version, year: int, book: dict, shown: set[str]) -> pd.DataFrame:
    """The members' cells of the year, countries no version shows moved into "other"."""
    facts = version.facts[version.facts["year"] == year].copy()
    parents = book["parents"]
    for column, dim in (("code1", "dim1"), ("code2", "dim2")):
        rows = facts[dim].eq("citizenship")
        mapping = {
            code: OTHER_IN_GROUP[parents[code]]
            for code in set(facts.loc[rows, column])
            if code not in shown and len(code) == 2 and parents.get(code) in OTHER_IN_GROUP
        }
        facts.loc[rows, column] = facts.loc[rows, column].replace(mapping)
    group = ["org_code", *KEY]
    nulls = facts["value"].isna().groupby([facts[c] for c in group]).any()
    summed = facts.groupby(group)["value"].sum().where(~nulls)
    derived = facts.groupby(group)["derived"].all()
    return pd.concat([summed, derived], axis=1).reset_index()


def _units(facts: pd.DataFrame) -> dict[tuple[str, str], str]:
    """(org, kind) -> the submission: a digest of the member's sent cells of that period."""
    sent = facts[~facts["derived"]]
    out = {}
    for (org, kind), rows in sent.groupby(["org_code", "kind"]):
        text = rows.sort_values(KEY)[[*KEY, "value"]].to_csv(index=False)
        out[(str(org), str(kind))] = hashlib.sha256(text.encode()).hexdigest()[:16]
    return out


def _grid(version: Version, year: int) -> dict[tuple, list[tuple]]:
    """(measure, kind, dim1, dim2) -> the codes its published table lists (one unknown each, per member).

    A cell of an offered table that is itself not offered (a folded cross row) is still a row and
    a column the table lists: the attacker knows it exists, not its value.
    """
    cells = version.cells[version.cells["year"] == year]
    table = ["subset", "measure", "kind", "dim1", "dim2"]
    offered = cells.groupby(table)["offered"].transform("any").astype(bool)
    cells = cells[offered]
    inner = cells[
        ((cells["code1"] != TOTAL) | (cells["dim1"] == TOTAL)) & ((cells["code2"] != TOTAL) | (cells["dim2"] == TOTAL))
    ]
    return {
        table: sorted(set(zip(rows["code1"], rows["code2"], strict=True)))
        for table, rows in inner.groupby(["measure", "kind", "dim1", "dim2"])
    }


def _variables(model: Model, facts: pd.DataFrame, units: dict, grid: dict, book: dict) -> dict[tuple, dict]:
    """Per (org, measure, kind, dim1, dim2) reported: {(code1, code2): expression of that member's cell}."""
    values = {
        tuple(row[:7]): float(np.nan_to_num(row[7]))
        for row in facts[["org_code", *KEY, "value"]].itertuples(index=False)
    }
    sent_codes: dict[tuple, set] = {}
    for org, measure, kind, dim1, code1, dim2, code2 in values:
        sent_codes.setdefault((org, measure, kind, dim1, dim2), set()).add((code1, code2))
    reported = facts[facts["value"].notna()].groupby(["org_code", "measure", "kind", "dim1", "dim2"])["derived"].all()
    out: dict[tuple, dict] = {}
    for (org, measure, kind, dim1, dim2), derived in sorted(reported.items()):
        if derived:
            continue
        unit = units[(org, kind)]
        codes = set(grid.get((measure, kind, dim1, dim2), [])) | sent_codes[(org, measure, kind, dim1, dim2)]
        out[(org, measure, kind, dim1, dim2)] = {
            (c1, c2): {
                model.var(
                    (org, kind, unit, measure, dim1, c1, dim2, c2),
                    values.get((org, measure, kind, dim1, c1, dim2, c2), 0.0),
                    org,
                ): 1.0
            }
            for c1, c2 in sorted(codes)
        }
    for (org, measure, kind, dim1, dim2), derived in sorted(reported.items()):
        if not (derived and kind == "Y"):
            continue
        # the year of a member that sent halves: H1 + H2 (stock measures: H2)
        halves = ("H2",) if book["nature"].get(measure) == "stock" else ("H1", "H2")
        parts = [out.get((org, measure, half, dim1, dim2)) for half in halves]
        if any(part is None for part in parts):
            continue
        codes = set(grid.get((measure, "Y", dim1, dim2), [])) | sent_codes[(org, measure, "Y", dim1, dim2)]
        out[(org, measure, "Y", dim1, dim2)] = {
            code: _combine([part.get(code, {}) for part in parts]) for code in sorted(codes)
        }  # type: ignore[union-attr]
    return out


def _structure(model: Model, variables: dict[tuple, dict], book: dict) -> None:
    """The contract's rules for each member's submission, where its cells satisfy them."""
    truth = np.asarray(model.truth)
    for (org, measure, kind, dim1, dim2), cells in variables.items():
        if dim1 == TOTAL:
            continue
        if dim2 == TOTAL and not book["multi"].get(measure, False):
            whole_key = (
                (org, measure, kind, *LABOUR_WHOLE[:1], TOTAL)
                if dim1 == "labour_sector"
                else (org, measure, kind, TOTAL, TOTAL)
            )
            whole = variables.get(whole_key, {}).get(
                (LABOUR_WHOLE[1], TOTAL) if dim1 == "labour_sector" else (TOTAL, TOTAL)
            )
            if whole is not None:
                _equal(model, truth, [whole], list(cells.values()))
        if dim2 != TOTAL:
            for axis, dim in ((0, dim1), (1, dim2)):
                margin = variables.get((org, measure, kind, dim, TOTAL))
                if margin is None:
                    continue
                for code in {c[axis] for c in cells}:
                    if (code, TOTAL) in margin:
                        _equal(model, truth, [margin[(code, TOTAL)]], [e for c, e in cells.items() if c[axis] == code])
        if dim1 == "citizenship":
            groups = variables.get((org, measure, kind, "citizenship_group", TOTAL), {})
            for parent, whole in groups.items():
                parts = [e for c, e in cells.items() if book["parents"].get(c[0], c[0]) == parent[0]]
                _equal(model, truth, [whole], parts)
    for part, whole in book["part_whole"]:
        for (org, measure, kind, dim1, dim2), cells in variables.items():
            if measure != part:
                continue
            same = variables.get((org, whole, kind, dim1, dim2))
            total = variables.get((org, whole, kind, TOTAL, TOTAL), {}).get((TOTAL, TOTAL))
            for code, expression in cells.items():
                bound = (
                    (same or {}).get(code)
                    if same is not None
                    else (total if dim1 == TOTAL or book["multi"].get(part) else None)
                )
                if bound is not None:
                    _at_most(model, truth, expression, bound)


def _combine(expressions: list[dict[int, float]], sign: float = 1.0) -> dict[int, float]:
    out: dict[int, float] = {}
    for expression in expressions:
        for column, coef in expression.items():
            out[column] = out.get(column, 0.0) + sign * coef
    return out


def _equal(model: Model, truth: np.ndarray, wholes: list[dict], parts: list[dict]) -> None:
    terms = _combine(wholes)
    for column, coef in _combine(parts, -1.0).items():
        terms[column] = terms.get(column, 0.0) + coef
    terms = {c: v for c, v in terms.items() if v}
    values = np.asarray(model.truth)
    if terms and abs(sum(v * values[c] for c, v in terms.items())) < 1e-9:
        model.equal.append((terms, 0.0))


def _at_most(model: Model, truth: np.ndarray, part: dict, whole: dict) -> None:
    terms = _combine([part])
    for column, coef in whole.items():
        terms[column] = terms.get(column, 0.0) - coef
    values = np.asarray(model.truth)
    if sum(v * values[c] for c, v in terms.items()) <= 1e-9:
        model.between.append((terms, -np.inf, 0.0))


def _publish(model: Model, version: Version, year: int, variables: dict, threshold: int) -> None:
    """Every offered cell of the version: exact, 1..t-1, or >= 0 (and a target when hidden).

    A cell of an offered table that is not offered itself (a folded cross row) says nothing,
    but it is a count the table stands on: a target that must not be pinned.
    """
    cells = version.cells[version.cells["year"] == year]
    table_offered = cells.groupby(["subset", "measure", "kind", "dim1", "dim2"])["offered"].transform("any")
    cells = cells[cells["offered"] | table_offered.astype(bool)]
    reporters: dict[tuple, set[str]] = {}
    for org, *table in variables:
        reporters.setdefault(tuple(table), set()).add(org)
    for row in cells.itertuples(index=False):
        orgs = set(reporters.get((row.measure, row.kind, row.dim1, row.dim2), set()))
        if row.subset != "all":
            orgs &= version.groups.get((row.measure, row.subset), frozenset())
        expression = _combine(
            [
                e
                for org in sorted(orgs)
                for code, e in variables[(org, row.measure, row.kind, row.dim1, row.dim2)].items()
                if (row.dim1 == TOTAL or row.code1 in (TOTAL, code[0]))
                and (row.dim2 == TOTAL or row.code2 in (TOTAL, code[1]))
            ]
        )
        if not row.offered:
            key = frozenset(expression.items())
            if key and key not in model.targets:
                model.targets[key] = {
                    "version": version.number, "subset": row.subset, "measure": row.measure, "kind": row.kind,
                    "dim1": row.dim1, "code1": row.code1, "dim2": row.dim2, "code2": row.code2, "small": True,
                    "first": version.number, "folded": True,
                }  # fmt: skip
            continue
        flag = row.flag if isinstance(row.flag, str) else ""
        if "c" in flag:
            model.between.append((expression, 1.0, threshold - 1.0))
        elif "d" not in flag and not pd.isna(row.value):
            model.equal.append((expression, float(row.value)))
            model.shown.append(expression)
        if "c" in flag or "d" in flag:
            key = frozenset(expression.items())
            small = "c" in flag or model.targets.get(key, {}).get("small", False)
            first = model.targets.get(key, {}).get("first", version.number)
            model.targets[key] = {
                "version": version.number, "subset": row.subset, "measure": row.measure, "kind": row.kind,
                "dim1": row.dim1, "code1": row.code1, "dim2": row.dim2, "code2": row.code2, "small": small,
                "first": first,
            }  # fmt: skip


# --- solving ----------------------------------------------------------------------------------


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


def codebook_facts() -> dict:
    """What the attacker knows of the codebook: country groups, multi-response measures, parts and wholes."""
    from etl.codebook import load_codebook

    book = load_codebook()
    parents = {code: entry.parent or code for code, entry in book.codes["citizenship"].items()}
    return {
        "parents": parents,
        "multi": {code: m.multi_response for code, m in book.measures.items()},
        "nature": {code: m.nature for code, m in book.measures.items()},
        "part_whole": list(book.part_whole),
    }


def attack_versions(
    paths: list[Path], threshold: int, years: list[int] | None = None, attackers: list[str] | None = None
) -> Report:
    """Attack every year (or `years`) of the versions at `paths` (oldest first)."""
    versions = [read_version(path) for path in paths]
    book = codebook_facts()
    all_years = sorted({int(y) for v in versions for y in v.cells["year"].unique()})
    frames = []
    for year in years or all_years:
        model = build(versions, year, book, threshold)
        ranges = attack(model, threshold, attackers).ranges
        frames.append(_not_news(ranges, model, versions, year, book, threshold).assign(year=year))
    return Report(pd.concat(frames, ignore_index=True) if frames else pd.DataFrame())


def _not_news(
    ranges: pd.DataFrame, model: Model, versions: list[Version], year: int, book: dict, t: int
) -> pd.DataFrame:
    """Mark ok what a member could already pin from the versions before the cell was first published.

    A member that revised its figures knows the old network figure (shown) and its own change, so it
    knows the new one, hidden to keep that change from everyone else: nothing about the others is new.
    """
    failing = ranges[~ranges["ok"] & (ranges["attacker"] != OUTSIDER)]
    names = {index: name for name, index in model.columns.items()}
    for index, row in failing.iterrows():
        earlier = [v for v in versions if v.number < row["first"]]
        key = next(k for k, cell in model.targets.items() if _same_cell(cell, row))
        rest = [(names[column], coef) for column, coef in key if model.owner[column] != row["attacker"]]
        if not earlier or not rest:
            continue
        before = build(earlier, year, book, t)
        # A cell of an unchanged submission that no earlier table listed was a known 0 then, as now.
        unlisted = {name for name, _ in rest if name not in before.columns}
        if any(model.truth[model.columns[name]] != 0 or not _unit_seen(name, before) for name in unlisted):
            continue  # the rest holds figures first sent after: news
        rest = [(name, coef) for name, coef in rest if name not in unlisted]
        before.targets = {frozenset((before.columns[name], coef) for name, coef in rest): {**model.targets[key]}}
        again = attack(before, t, [row["attacker"]]).ranges
        if again.empty or again["width"].iloc[0] < 1 - 1e-6:  # empty: already a published figure
            ranges.loc[index, "ok"] = True
    return ranges


def _unit_seen(name: tuple, model: Model) -> bool:
    """Was the submission this unknown belongs to (organisation, period, content) in `model` too?"""
    return any(key[:3] == name[:3] for key in model.columns)


def _same_cell(cell: dict, row: pd.Series) -> bool:
    return all(cell[k] == row[k] for k in ("version", "subset", "measure", "kind", "dim1", "code1", "dim2", "code2"))
