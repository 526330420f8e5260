"""Validate long-format tables against the data contract and turn them into canonical cells.

Every rule of DATA-CONTRACT sections 2-7 runs over the whole file in one pass and
every problem is collected (up to a cap per kind); nothing is loaded while any
error remains. The work is vectorised: each text column is factorised once, the
few distinct values are checked in Python, and the answers are spread back over
the rows with numpy. The sum rules (etl/intake/consistency.py) and the warnings
(etl/intake/plausibility.py) work on integer keys built here.

A table may carry two reserved columns, `_row` and `_column`, giving each row's
place in the member's own workbook (the template reader sets them), so problems
point at the cell the member typed into.

The rules live beside it: the vectorised column tools in etl/intake/columns.py and the
cell-level rules in etl/intake/cell_rules.py.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

import numpy as np
import pandas as pd

from etl.codebook import Codebook, load_codebook
from etl.intake import cell_rules, consistency, left_out, plausibility
from etl.intake.columns import codebook_pairs, combine, fold
from etl.intake.problems import Problem
from etl.intake.shapes import Cells, Coded, Collector, Context, Result, Rows
from etl.intake.sniff import Table

REQUIRED = ("organisation", "period", "measure", "value")
OPTIONAL = ("flag",)
LOCATION = ("_row", "_column")  # reserved: where a template cell sits in the member's workbook
CANONICAL = ["org_code", "period", "measure", "dim1", "code1", "dim2", "code2", "value", "flag"]


def validate_table(table: Table, context: Context, book: Codebook | None = None) -> Result:
    return validate_tables([table], context, book)


def validate_tables(tables: Sequence[Table], context: Context, book: Codebook | None = None) -> Result:
    """Check every rule on all of a file's tables at once; the cells are loadable only without errors."""

    book = book or load_codebook()
    found = Collector()
    rows = _gather(tables, book, found)
    sheet_order = {table.sheet: i for i, table in enumerate(tables)}
    if rows is None or len(rows) == 0:
        return Result(pd.DataFrame(columns=[*CANONICAL, "sheet", "row"]), found.finish(sheet_order))
    cells = _check_cells(rows, context, book, found)
    clean = consistency.clean_rows(cells)
    consistency.check(clean, book, found)
    plausibility.check(cells, clean, context, book, found)
    left_out.check(cells, context, found)
    out = cells.frame[CANONICAL].copy()
    out["sheet"], out["row"] = rows.sheet, rows.row
    return Result(out, found.finish(sheet_order))


# Headers and gathering ------------------------------------------------------------------------


@cache
def _header_names() -> dict[str, str]:
    """Header text (folded) -> canonical column: column names, and dimension labels in fi, sv, en."""
    book = load_codebook()
    names = {name: name for name in (*REQUIRED, *OPTIONAL, *LOCATION)}
    for code, dimension in book.dimensions.items():
        names[code] = code
        for label in (dimension.label.fi, dimension.label.sv, dimension.label.en):
            names.setdefault(fold(label), code)
    return names


def _headers(table: Table, found: Collector) -> dict[str, str] | None:
    """Each header's canonical name; None when a required column is missing."""
    names = _header_names()
    mapping: dict[str, str] = {}
    for header in table.frame.columns:
        name = names.get(fold(header))
        if name is not None and name not in mapping.values():
            mapping[str(header)] = name
        elif name is not None:
            found.add(Problem("duplicate_column", sheet=table.sheet, row=1, column=str(header)))
        else:
            found.add(Problem("unknown_column", sheet=table.sheet, row=1, column=str(header), value=str(header)))
    missing = [name for name in REQUIRED if name not in mapping.values()]
    for name in missing:
        found.add(Problem("missing_column", sheet=table.sheet, row=1, column=name))
    return None if missing else mapping


def _gather(tables: Sequence[Table], book: Codebook, found: Collector) -> Rows | None:
    """All usable tables' rows as one set of columns; tables with a missing column are left out.

    A single table's columns are used as they are (a million-row file is not copied).
    """
    parts: list[dict[str, pd.Series]] = []
    sheets, numbers, columns = [], [], []
    for table in tables:
        mapping = _headers(table, found)
        if mapping is None:
            continue
        named = {name: table.frame[header] for header, name in mapping.items()}
        n = len(table.frame)
        if "_row" in named:
            numbers.append(pd.to_numeric(named.pop("_row"), errors="coerce").fillna(0).to_numpy(dtype=np.int64))
        else:
            # The frame's index labels count file rows from first_row (dropped empty rows keep theirs).
            numbers.append(table.first_row + table.frame.index.to_numpy(dtype=np.int64))
        if "_column" in named:
            columns.append(named.pop("_column").to_numpy(dtype=object))
        else:
            columns.append(np.full(n, "value", dtype=object))
        sheets.append(np.full(n, table.sheet, dtype=object))
        parts.append(named)
    if not parts:
        return None
    text = parts[0] if len(parts) == 1 else _stack(parts, [len(s) for s in sheets])
    return Rows(text, np.concatenate(sheets), np.concatenate(numbers), np.concatenate(columns))


def _stack(parts: list[dict[str, pd.Series]], lengths: list[int]) -> dict[str, pd.Series]:
    """The columns of several tables one after another; '' where a table lacks a column."""
    names = list(dict.fromkeys(name for part in parts for name in part))
    return {
        name: pd.concat(
            [
                part[name] if name in part else pd.Series([""] * n, dtype=object)
                for part, n in zip(parts, lengths, strict=True)
            ],
            ignore_index=True,
        )
        for name in names
    }


# Cells ----------------------------------------------------------------------------------------


def _check_cells(rows: Rows, context: Context, book: Codebook, found: Collector) -> Cells:
    org = cell_rules.organisations(rows, context, found)
    period, periods = cell_rules.periods(rows, context, found)
    bad = (org.ids < 0) | (period.ids < 0)
    bad |= cell_rules.membership(rows, org, period, periods, context, found)
    measure = cell_rules.measures(rows, found)
    bad |= measure.ids < 0
    pair1, pair2, dims_bad = cell_rules.dimensions(rows, book, found)
    bad |= dims_bad
    pairs = codebook_pairs()
    bad |= cell_rules.breakdowns(rows, measure, pair1, pair2, pairs, book, found)
    value, value_bad = cell_rules.values(rows, found)
    flag, flag_bad = cell_rules.flags(rows, found)
    bad |= value_bad | flag_bad
    frame = pd.DataFrame(
        {
            "org_code": org.values(),
            "period": period.values(),
            "measure": measure.values(),
            "dim1": _pair_part(pairs.dims, pair1),
            "code1": _pair_part(pairs.codes, pair1),
            "dim2": _pair_part(pairs.dims, pair2),
            "code2": _pair_part(pairs.codes, pair2),
            "value": pd.array(value, dtype="Float64").astype("Int64"),
            "flag": flag.values(),
        }
    )
    known = (org.ids >= 0) & (period.ids >= 0) & (measure.ids >= 0)
    group = np.where(known, combine(org.ids, period.ids, measure.ids), -1)
    group, group_keys = _number_groups(group, org, period, measure)
    cells = Cells(frame, rows, bad, group, group_keys, pair1, pair2, value, pairs)
    bad |= cell_rules.duplicates(cells, found)
    return cells


def _pair_part(names: np.ndarray, pair: np.ndarray) -> pd.Categorical:
    """The dimension or code of each row's pair, as a categorical (-1: missing)."""
    categories = pd.Index(pd.unique(names), dtype=object)
    position = categories.get_indexer(names)
    return pd.Categorical.from_codes(
        np.where(pair >= 0, position[np.maximum(pair, 0)], -1), categories=categories, validate=False
    )


def _number_groups(
    group: np.ndarray, org: Coded, period: Coded, measure: Coded
) -> tuple[np.ndarray, list[tuple[str, str, str]]]:
    """Groups numbered 0..n-1 in order of appearance, and what each number stands for."""
    known = group >= 0
    ids, firsts = np.unique(group[known], return_index=True)
    rows = np.flatnonzero(known)[firsts]
    order = np.argsort(rows)
    renumber = np.full(int(ids.max(initial=0)) + 1, -1, dtype=np.int64)
    renumber[ids[order]] = np.arange(len(ids))
    keys = [(org.names[org.ids[r]], period.names[period.ids[r]], measure.names[measure.ids[r]]) for r in rows[order]]
    return np.where(known, renumber[np.maximum(group, 0)], -1), keys
