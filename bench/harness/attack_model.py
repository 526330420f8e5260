"""The attacker's model of one year: one unknown per member submission and code, the rules, the published cells."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from etl.sqlfiles import open_snapshot

TOTAL = "_T"
WITHHELD = ("members", "group", "unsafe", "empty", "fold_row")
KEY = ["measure", "kind", "dim1", "code1", "dim2", "code2"]
LABOUR_WHOLE = ("exploitation_form", "LAB")
OTHER_IN_GROUP = {"EU_OTH": "OTH_EU", "NON_EU": "OTH_NON_EU"}


@dataclass
class Version:
    """One published version, as everybody can read it (and the members' exact cells behind it)."""

    number: int
    facts: pd.DataFrame  # org_code, measure, year, kind, dim1..code2, value, derived
    cells: pd.DataFrame  # published_cell rows
    groups: dict[tuple[str, str], frozenset[str]]  # (measure, like-for-like subset) -> members


def read_version(path: Path) -> Version:
    with open_snapshot(path) as con:  # as the dashboard opens it: one process may hold both
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
    grid = _grid_of(versions, year)
    for version in versions:
        facts = _folded(version, year, book, shown)
        if facts.empty:
            continue
        units = _units(facts)
        variables = _variables(model, facts, units, grid, book)
        _structure(model, variables, book)
        _publish(model, version, year, variables, threshold)
        _left_out(model, version, year, variables)
        _member_totals(model, version, variables)
    return model


def _left_out(model: Model, version: Version, year: int, variables: dict) -> None:
    """A code an offered table does not list is 0 for every member in it (a table lists the codes its data hold)."""
    truth = np.asarray(model.truth)
    cells = version.cells[version.cells["year"] == year]
    table = ["subset", "measure", "kind", "dim1", "dim2"]
    cells = cells[cells.groupby(table)["offered"].transform("any").astype(bool)]
    for (subset, measure, kind, dim1, dim2), rows in cells.groupby(table):
        listed = set(zip(rows["code1"], rows["code2"], strict=True))
        orgs = {org for org, *rest in variables if tuple(rest) == (measure, kind, dim1, dim2)}
        if subset != "all":
            orgs &= version.groups.get((measure, subset), frozenset())
        for org in sorted(orgs):
            for code, expression in variables[(org, measure, kind, dim1, dim2)].items():
                if code not in listed:
                    _equal(model, truth, [expression], [])


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


def _grid_of(versions: list[Version], year: int) -> dict[tuple, list[tuple]]:
    """The codes any version's published table lists: every submission may hold each of them.

    A submission is the same unknowns in every version; which codes it sent is private.
    """
    out: dict[tuple, set[tuple]] = {}
    for version in versions:
        for table, codes in _grid(version, year).items():
            out.setdefault(table, set()).update(codes)
    return {table: sorted(codes) for table, codes in out.items()}


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
        if kind != "Y":  # a half of a published year table has the year's codes, sent or not (what is sent is private)
            codes |= set(grid.get((measure, "Y", dim1, dim2), []))
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
