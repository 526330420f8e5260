"""The sum rules of DATA-CONTRACT section 5, per organisation, period and measure.

- a breakdown needs the total row of its measure;
- a one-dimension breakdown sums to the total (multi-response measures and
  labour_sector excepted), and so does a two-dimension cross as a whole;
- a cross sums to its one-dimension margins where those are sent;
- labour_sector cells sum to the exploitation_form = LAB cell;
- a part (codebook part_whole.csv) never exceeds its whole.

Empty values mean "not collected": where a breakdown has one, its known cells
may not exceed the total (instead of summing to it). Groups with any cell-level
error are left out, so one wrong cell is reported once, not again as a sum.
Every problem points at the cell that disagrees (the total, the margin, the LAB
cell or the part).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from etl.codebook import TOTAL, Codebook
from etl.intake.problems import Problem
from etl.intake.shapes import Cells, Collector


@dataclass
class Clean:
    """Rows that passed every cell check, in groups without errors, with fast cell lookups."""

    cells: Cells
    index: np.ndarray  # row numbers (into the file's rows) of the clean rows
    lookup: pd.Index  # cell key -> position in `index`
    spoiled: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))  # breakdowns with an error

    def breakdown_spoiled(self, group: np.ndarray, dim1: str, dim2: str) -> np.ndarray:
        dims = _dimension_ids(self.cells)
        names = list(dict.fromkeys(self.cells.book_pairs.dims))
        ndims = int(dims.max()) + 1
        key = (group * ndims + names.index(dim1)) * ndims + names.index(dim2)
        return np.isin(key, self.spoiled)

    def key(self, group: np.ndarray, pair1: np.ndarray, pair2: np.ndarray) -> np.ndarray:
        size = self.cells.book_pairs.size
        return (group.astype(np.int64) * size + pair1) * size + pair2

    def find(self, group: np.ndarray, pair1: np.ndarray, pair2: np.ndarray) -> np.ndarray:
        """File row of each wanted cell, or -1 when it was not sent."""
        positions = self.lookup.get_indexer(self.key(group, pair1, pair2))
        return np.where(positions >= 0, self.index[np.maximum(positions, 0)], -1)


def clean_rows(cells: Cells) -> Clean:
    """The rows the sum rules can use: no error in the row, nor in its breakdown or its total.

    An error in a breakdown's cell leaves that breakdown out; an error in the total
    row, or a row whose breakdown cannot be told, leaves out the whole measure.
    """
    usable = cells.group >= 0
    dims = _dimension_ids(cells)
    ndims = int(dims.max()) + 1
    known_pairs = (cells.pair1 >= 0) & (cells.pair2 >= 0)
    breakdown = np.where(
        usable & known_pairs,
        (cells.group * ndims + dims[np.maximum(cells.pair1, 0)]) * ndims + dims[np.maximum(cells.pair2, 0)],
        -1,
    )
    whole_measure = cells.bad & usable & (~known_pairs | (cells.pair1 == 0))
    spoiled_groups = np.unique(cells.group[whole_measure])
    spoiled_breakdowns = np.unique(breakdown[cells.bad & usable & known_pairs])
    keep = (
        usable
        & known_pairs
        & ~cells.bad
        & ~np.isin(cells.group, spoiled_groups)
        & ~np.isin(breakdown, spoiled_breakdowns)
    )
    index = np.flatnonzero(keep)
    clean = Clean(cells, index, pd.Index([]), spoiled_breakdowns)
    clean.lookup = pd.Index(clean.key(cells.group[index], cells.pair1[index], cells.pair2[index]))
    return clean


def check(clean: Clean, book: Codebook, found: Collector) -> None:
    if len(clean.index) == 0:
        return
    _totals_and_sums(clean, book, found)
    _margins(clean, found)
    _labour_sectors(clean, found)
    _parts_and_wholes(clean, book, found)


def _problem(cells: Cells, i: int, code: str, column: str | None = None, **params: object) -> Problem:
    """A problem at file row i: in a template, at the cell the member typed into."""
    rows = cells.rows
    where = str(rows.cell_column[i])
    return Problem(
        code,
        sheet=rows.sheet[i],
        row=int(rows.row[i]),
        column=column if column is not None and where == "value" else where,
        value=_seen(cells, i),
        params=params,
    )


def _seen(cells: Cells, i: int) -> str:
    value = cells.value[i]
    return "" if np.isnan(value) else str(int(value))


def _dimension_ids(cells: Cells) -> np.ndarray:
    """Per codebook pair, a number for its dimension (0 for _T)."""
    names = {name: k for k, name in enumerate(dict.fromkeys(cells.book_pairs.dims))}
    return np.array([names[d] for d in cells.book_pairs.dims], dtype=np.int64)


def _summed(frame: pd.DataFrame, by: str) -> pd.DataFrame:
    """Per key: sum of known values, number of empty ones, number of known ones, first row, group."""
    frame = frame.assign(empty=frame["value"].isna().astype(np.int64))
    grouped = frame.groupby(by, sort=False)
    return pd.DataFrame(
        {
            "total": grouped["value"].sum(min_count=0),
            "empty": grouped["empty"].sum(),
            "known": grouped["value"].count(),
            "first": grouped["row"].min(),
            "group": grouped["group"].first(),
        }
    )


def _disagrees(summed: np.ndarray, empty: np.ndarray, target: np.ndarray) -> np.ndarray:
    """Known cells sum to `summed`: equal to the target when all are known, else not above it."""
    return ~np.isnan(target) & np.where(empty > 0, summed > target, summed != target)


def _frame(clean: Clean, mask: np.ndarray) -> pd.DataFrame:
    cells = clean.cells
    rows = clean.index[mask]
    return pd.DataFrame(
        {
            "row": rows,
            "group": cells.group[rows],
            "pair1": cells.pair1[rows],
            "pair2": cells.pair2[rows],
            "value": cells.value[rows],
        }
    )


def _value_at(cells: Cells, rows: np.ndarray) -> np.ndarray:
    """The value at each file row; NaN where the row is -1 (not sent) or empty."""
    return np.where(rows >= 0, cells.value[np.maximum(rows, 0)], np.nan)


def _totals_and_sums(clean: Clean, book: Codebook, found: Collector) -> None:
    cells = clean.cells
    dims = _dimension_ids(cells)
    frame = _frame(clean, cells.pair1[clean.index] > 0)
    if frame.empty:
        return
    ndims = int(dims.max()) + 1
    frame["breakdown"] = (frame["group"] * ndims + dims[frame["pair1"]]) * ndims + dims[frame["pair2"]]
    sums = _summed(frame, "breakdown")
    sums = sums[sums["known"] > 0]
    groups = sums["group"].to_numpy(dtype=np.int64)
    first = sums["first"].to_numpy(dtype=np.int64)
    multi = np.array([book.measures[key[2]].multi_response for key in cells.group_keys], dtype=bool)[groups]
    zeros = np.zeros(len(groups), dtype=np.int64)
    total_rows = clean.find(groups, zeros, zeros)
    total = _value_at(cells, total_rows)
    missing = ~multi & np.isnan(total)
    for k in np.flatnonzero(missing):
        row = int(first[k])
        found.add(
            _problem(
                cells,
                row,
                "missing_total",
                column=_dim1(cells, row),
                measure=cells.group_keys[int(groups[k])][2],
                dimension=_breakdown_name(cells, row),
            )
        )
    sectors = cells.book_pairs.dims[cells.pair1[first]] == "labour_sector"  # they sum to the LAB cell instead
    summed, empty = sums["total"].to_numpy(dtype=np.float64), sums["empty"].to_numpy(dtype=np.int64)
    wrong = np.flatnonzero(~multi & ~sectors & _disagrees(summed, empty, total))
    # One problem per total and sum, naming every breakdown that sums to it.
    named: dict[tuple[int, int, bool], list[str]] = {}
    for k in wrong:
        key = (int(total_rows[k]), int(summed[k]), bool(empty[k]))
        named.setdefault(key, []).append(_breakdown_name(cells, int(first[k])))
    for (total_row, summed_to, partly_empty), dimensions in named.items():
        found.add(
            _problem(
                cells,
                total_row,
                "breakdown_exceeds_total" if partly_empty else "breakdown_sum",
                measure=cells.group_keys[int(cells.group[total_row])][2],
                dimension=", ".join(dimensions),
                sum=summed_to,
            )
        )


def _dim1(cells: Cells, row: int) -> str:
    return str(cells.book_pairs.dims[cells.pair1[row]])


def _breakdown_name(cells: Cells, row: int) -> str:
    first, second = cells.book_pairs.dims[cells.pair1[row]], cells.book_pairs.dims[cells.pair2[row]]
    return f"{first} × {second}" if second != TOTAL else str(first)


def _margins(clean: Clean, found: Collector) -> None:
    """Each row and column of a cross sums to the one-dimension cell of the same code, where sent."""
    cells = clean.cells
    frame = _frame(clean, cells.pair2[clean.index] > 0)
    if frame.empty:
        return
    dims = _dimension_ids(cells)
    ndims, size = int(dims.max()) + 1, cells.book_pairs.size
    for side, other in (("pair1", "pair2"), ("pair2", "pair1")):
        frame["margin"] = (frame["group"] * ndims + dims[frame[other]]) * size + frame[side]
        sums = _summed(frame, "margin")
        groups = sums["group"].to_numpy(dtype=np.int64)
        pairs = (sums.index.to_numpy(dtype=np.int64) % size).astype(np.int64)
        margin_rows = clean.find(groups, pairs, np.zeros(len(groups), dtype=np.int64))
        summed, empty = sums["total"].to_numpy(dtype=np.float64), sums["empty"].to_numpy(dtype=np.int64)
        wrong = _disagrees(summed, empty, _value_at(cells, margin_rows))
        first = sums["first"].to_numpy(dtype=np.int64)
        for k in np.flatnonzero(wrong):
            pair = int(pairs[k])
            found.add(
                _problem(
                    cells,
                    int(margin_rows[k]),
                    "cross_margin",
                    measure=cells.group_keys[int(groups[k])][2],
                    dimension=_breakdown_name(cells, int(first[k])),
                    cell=f"{cells.book_pairs.dims[pair]} = {cells.book_pairs.codes[pair]}",
                    sum=int(summed[k]),
                )
            )


def _labour_sectors(clean: Clean, found: Collector) -> None:
    cells = clean.cells
    pairs = cells.book_pairs
    sector = pairs.dims[cells.pair1[clean.index]] == "labour_sector"
    frame = _frame(clean, sector & (cells.pair2[clean.index] == 0))
    if frame.empty:
        return
    sums = _summed(frame, "group")
    sums = sums[sums["known"] > 0]
    groups = sums["group"].to_numpy(dtype=np.int64)
    lab = np.full(len(groups), pairs.ids[("exploitation_form", "LAB")], dtype=np.int64)
    lab_rows = clean.find(groups, lab, np.zeros(len(groups), dtype=np.int64))
    lab_value = _value_at(cells, lab_rows)
    first = sums["first"].to_numpy(dtype=np.int64)
    unreadable = clean.breakdown_spoiled(groups, "exploitation_form", TOTAL)  # reported as its own error
    for k in np.flatnonzero(np.isnan(lab_value) & ~unreadable):
        measure = cells.group_keys[int(groups[k])][2]
        found.add(_problem(cells, int(first[k]), "missing_lab_cell", column="labour_sector", measure=measure))
    summed, empty = sums["total"].to_numpy(dtype=np.float64), sums["empty"].to_numpy(dtype=np.int64)
    for k in np.flatnonzero(_disagrees(summed, empty, lab_value)):
        measure = cells.group_keys[int(groups[k])][2]
        found.add(_problem(cells, int(lab_rows[k]), "labour_sector_sum", measure=measure, sum=int(summed[k])))


def _parts_and_wholes(clean: Clean, book: Codebook, found: Collector) -> None:
    """A part's cell is not above the whole's same cell, or the whole's total when that cell is not sent."""
    cells = clean.cells
    number = {key: g for g, key in enumerate(cells.group_keys)}
    measures = np.array([key[2] for key in cells.group_keys], dtype=object)
    rows = clean.index
    for part, whole in book.part_whole:
        mask = (measures[cells.group[rows]] == part) & ~np.isnan(cells.value[rows])
        if not mask.any():
            continue
        part_rows = rows[mask]
        whole_of_group = np.array([number.get((o, p, whole), -1) for o, p, _ in cells.group_keys], dtype=np.int64)
        whole_groups = whole_of_group[cells.group[part_rows]]
        has_whole = whole_groups >= 0
        part_rows, whole_groups = part_rows[has_whole], whole_groups[has_whole]
        same = clean.find(whole_groups, cells.pair1[part_rows], cells.pair2[part_rows])
        zeros = np.zeros(len(part_rows), dtype=np.int64)
        total = clean.find(whole_groups, zeros, zeros)
        usable_same = (same >= 0) & ~np.isnan(cells.value[np.maximum(same, 0)])
        against = np.where(usable_same, same, total)
        whole_value = _value_at(cells, against)
        above = ~np.isnan(whole_value) & (cells.value[part_rows] > whole_value)
        for k in np.flatnonzero(above):
            found.add(
                _problem(
                    cells,
                    int(part_rows[k]),
                    "part_above_whole",
                    measure=part,
                    whole=whole,
                    whole_value=int(whole_value[k]),
                    whole_row=int(cells.rows.row[against[k]]),
                )
            )
