"""Warnings that do not block a load (DATA-CONTRACT 2 and issue 3):

- a person count that changed by more than 50 % and by more than 10 persons from
  the same member's same cell one year earlier (same half, or the year);
- a year that is not the sum of its halves on an additive measure, where a
  member has sent both (the year wins; the mismatch is worth a look).

The earlier figures come from the same file first, then from the warehouse
(the member's newest live version of that period, through Context.history).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from etl.codebook import Codebook
from etl.intake.consistency import Clean
from etl.intake.problems import WARNING, Problem
from etl.intake.shapes import Cells, Collector, Context
from etl.periods import Period, parse_period

CHANGE_SHARE = 0.5
CHANGE_PERSONS = 10


@dataclass
class Known:
    """Cells of the file (clean rows) and of the warehouse, with a lookup by (group, pair1, pair2)."""

    groups: list[tuple[str, str, str]]  # (organisation, period, measure) per group number
    number: dict[tuple[str, str, str], int]
    value: np.ndarray  # per known cell
    row: np.ndarray  # file row index, -1 for a warehouse cell
    lookup: pd.Index
    size: int

    def find(self, group: np.ndarray, pair1: np.ndarray, pair2: np.ndarray) -> np.ndarray:
        """Position of each wanted cell among the known cells, or -1."""
        key = (group.astype(np.int64) * self.size + pair1) * self.size + pair2
        return np.asarray(self.lookup.get_indexer(np.where(group >= 0, key, -1)))

    def value_at(self, positions: np.ndarray) -> np.ndarray:
        return np.where(positions >= 0, self.value[np.maximum(positions, 0)], np.nan)

    def row_at(self, positions: np.ndarray) -> np.ndarray:
        return np.where(positions >= 0, self.row[np.maximum(positions, 0)], -1)

    def group_of(self, org: str, period: str, measure: str) -> int:
        return self.number.get((org, period, measure), -1)


def _related(period: Period) -> list[Period]:
    """The periods a period is compared with: a year earlier, and its year or halves."""
    earlier = Period(period.year - 1, period.half)
    if period.half == 0:
        return [earlier, *period.halves()]
    return [earlier, period.year_period, Period(period.year, 3 - period.half)]


def _known(cells: Cells, clean: Clean, context: Context) -> Known:
    rows = clean.index
    groups = list(cells.group_keys)
    number = {key: g for g, key in enumerate(groups)}
    in_file = {(org, period) for org, period, _ in groups}
    wanted: set[tuple[str, str]] = set()
    for org, period in in_file:
        parsed = parse_period(period)
        if parsed is not None:
            wanted |= {(org, p.code) for p in _related(parsed)}
    wanted -= in_file
    g, p1, p2, value = cells.group[rows], cells.pair1[rows], cells.pair2[rows], cells.value[rows]
    file_rows = rows
    history = context.history(sorted(wanted)) if context.history and wanted else None
    if history is not None and len(history):
        extra = _history_arrays(history, cells, groups, number)
        g, p1, p2, value = (np.concatenate([a, b]) for a, b in zip((g, p1, p2, value), extra, strict=True))
        file_rows = np.concatenate([rows, np.full(len(extra[0]), -1, dtype=np.int64)])
    size = cells.book_pairs.size
    lookup = pd.Index((g.astype(np.int64) * size + p1) * size + p2)
    return Known(groups, number, value, file_rows, lookup, size)


def _history_arrays(
    history: pd.DataFrame,
    cells: Cells,
    groups: list[tuple[str, str, str]],
    number: dict[tuple[str, str, str], int],
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    ids = cells.book_pairs.ids
    g, p1, p2, value = [], [], [], []
    for row in history.itertuples(index=False):
        first, second = ids.get((row.dim1, row.code1)), ids.get((row.dim2, row.code2))
        if first is None or second is None:
            continue  # a code the codebook no longer has
        key = (row.org_code, row.period, row.measure)
        if key not in number:
            number[key] = len(groups)
            groups.append(key)
        g.append(number[key])
        p1.append(first)
        p2.append(second)
        value.append(np.nan if pd.isna(row.value) else float(row.value))
    return (
        np.array(g, dtype=np.int64),
        np.array(p1, dtype=np.int64),
        np.array(p2, dtype=np.int64),
        np.array(value, dtype=np.float64),
    )


def check(cells: Cells, clean: Clean, context: Context, book: Codebook, found: Collector) -> None:
    if len(clean.index) == 0:
        return
    known = _known(cells, clean, context)
    _changes(cells, clean, known, book, found)
    _years_and_halves(cells, known, book, found)


def _shifted(known: Known, groups: np.ndarray, target: dict[str, str | None]) -> np.ndarray:
    """For each group number, the group of the same organisation and measure in another period."""
    out = np.full(len(known.groups), -1, dtype=np.int64)
    for g in np.unique(groups):
        org, period, measure = known.groups[g]
        other = target.get(period)
        if other is not None:
            out[g] = known.group_of(org, other, measure)
    return out


def _changes(cells: Cells, clean: Clean, known: Known, book: Codebook, found: Collector) -> None:
    rows = clean.index
    persons = np.array([book.measures[m].unit == "persons" for _, _, m in known.groups], dtype=bool)
    rows = rows[persons[cells.group[rows]] & ~np.isnan(cells.value[rows])]
    if len(rows) == 0:
        return
    periods = {p for _, p, _ in known.groups}
    earlier: dict[str, str | None] = {}
    for code in periods:
        parsed = parse_period(code)
        earlier[code] = Period(parsed.year - 1, parsed.half).code if parsed else None
    before_group = _shifted(known, cells.group[rows], earlier)[cells.group[rows]]
    before = known.value_at(known.find(before_group, cells.pair1[rows], cells.pair2[rows]))
    now = cells.value[rows]
    change = np.abs(now - before)
    flagged = ~np.isnan(before) & (change > CHANGE_PERSONS) & (change > CHANGE_SHARE * before)
    for k in np.flatnonzero(flagged):
        i = int(rows[k])
        found.add(
            Problem(
                "change_from_previous_year",
                severity=WARNING,
                sheet=cells.rows.sheet[i],
                row=int(cells.rows.row[i]),
                column=str(cells.rows.cell_column[i]),
                value=str(int(now[k])),
                params={
                    "previous": int(before[k]),
                    "previous_period": str(earlier[known.groups[cells.group[i]][1]]),
                },
            )
        )


def _years_and_halves(cells: Cells, known: Known, book: Codebook, found: Collector) -> None:
    additive = np.array([book.measures[m].nature == "additive" for _, _, m in known.groups], dtype=bool)
    kinds = {p: parse_period(p) for p in {p for _, p, _ in known.groups}}
    year_groups = np.array(
        [g for g, (_, p, _) in enumerate(known.groups) if additive[g] and (kinds[p] and kinds[p].half == 0)],  # type: ignore[union-attr]
        dtype=np.int64,
    )
    if len(year_groups) == 0:
        return
    group_of_cell = np.asarray(known.lookup.to_numpy() // (known.size * known.size), dtype=np.int64)
    positions = np.flatnonzero(np.isin(group_of_cell, year_groups))
    if len(positions) == 0:
        return
    pair_key = known.lookup.to_numpy()[positions] % (known.size * known.size)
    pair1, pair2 = pair_key // known.size, pair_key % known.size
    halves = []
    for half in ("H1", "H2"):
        target: dict[str, str | None] = {p: f"{p}{half}" for p in kinds if kinds[p] and kinds[p].half == 0}  # type: ignore[union-attr]
        group = _shifted(known, group_of_cell[positions], target)[group_of_cell[positions]]
        halves.append(known.find(group, pair1, pair2))
    year_value = known.value[positions]
    h1, h2 = known.value_at(halves[0]), known.value_at(halves[1])
    differs = ~np.isnan(year_value) & ~np.isnan(h1) & ~np.isnan(h2) & (year_value != h1 + h2)
    where = np.where(known.row[positions] >= 0, known.row[positions], known.row_at(halves[0]))
    where = np.where(where >= 0, where, known.row_at(halves[1]))
    for k in np.flatnonzero(differs & (where >= 0)):
        i = int(where[k])
        _, period, measure = known.groups[group_of_cell[positions[k]]]
        found.add(
            Problem(
                "year_not_sum_of_halves",
                severity=WARNING,
                sheet=cells.rows.sheet[i],
                row=int(cells.rows.row[i]),
                column=str(cells.rows.cell_column[i]),
                value=str(int(cells.value[i])),
                params={
                    "measure": measure,
                    "year": period,
                    "year_value": int(year_value[k]),
                    "h1": int(h1[k]),
                    "h2": int(h2[k]),
                },
            )
        )
