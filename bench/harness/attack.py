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

The model is `bench/harness/attack_model.py`, the solving `bench/harness/attack_solver.py`;
this module attacks every year of a run of versions.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from bench.harness.attack_model import Model, Version, build, read_version
from bench.harness.attack_solver import OUTSIDER, Report, attack


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
