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
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import cache

import numpy as np
import pandas as pd

from etl.codebook import TOTAL, Codebook, load_codebook
from etl.intake import consistency, plausibility
from etl.intake.problems import ERROR, Problem
from etl.intake.shapes import MAX_PER_CODE, Cells, Coded, Collector, Context, Pairs, Result, Rows
from etl.intake.sniff import Table
from etl.periods import Period, parse_period

REQUIRED = ("organisation", "period", "measure", "value")
OPTIONAL = ("flag",)
LOCATION = ("_row", "_column")  # reserved: where a template cell sits in the member's workbook
CANONICAL = ["org_code", "period", "measure", "dim1", "code1", "dim2", "code2", "value", "flag"]
KEY = ["org_code", "period", "measure", "dim1", "code1", "dim2", "code2"]
FLAGS = ("P", "E", "R")
MAX_VALUE = 1_000_000_000
_DIGITS = re.compile(r"^[0-9]+$")
_GROUPED = re.compile(r"^[0-9]{1,3}(?:[ \u00a0\u202f\u2009][0-9]{3})+$")
_SEPARATORS = re.compile(r"[ \u00a0\u202f\u2009]")


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
            names.setdefault(_fold(label), code)
    return names


def _fold(text: object) -> str:
    return " ".join(str(text).split()).casefold()


def _headers(table: Table, found: Collector) -> dict[str, str] | None:
    """Each header's canonical name; None when a required column is missing."""
    names = _header_names()
    mapping: dict[str, str] = {}
    for header in table.frame.columns:
        name = names.get(_fold(header))
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


@cache
def codebook_pairs() -> Pairs:
    book = load_codebook()
    ids = {(TOTAL, TOTAL): 0}
    for code in book.all_codes():
        ids[(code.dimension, code.code)] = len(ids)
    dims = np.array([d for d, _ in ids], dtype=object)
    codes = np.array([c for _, c in ids], dtype=object)
    return Pairs(ids, dims, codes)


def _factorise(series: pd.Series) -> tuple[np.ndarray, list[str]]:
    """Integer codes and the distinct texts; a missing cell counts as ''."""
    codes, uniques = pd.factorize(series)
    texts = ["" if u is None or (isinstance(u, float) and np.isnan(u)) else str(u) for u in uniques]
    codes = np.asarray(codes, dtype=np.int64)
    if (codes < 0).any():
        texts.append("")
        codes = np.where(codes < 0, len(texts) - 1, codes)
    return codes, texts


def _coded(codes: np.ndarray, canonical: list[str | None]) -> Coded:
    """Row ids into the distinct canonical names (several spellings may share one name)."""
    names: list[str] = []
    number: dict[str, int] = {}
    per_text = np.full(len(canonical), -1, dtype=np.int64)
    for k, name in enumerate(canonical):
        if name is not None:
            per_text[k] = number.setdefault(name, len(names))
            if per_text[k] == len(names):
                names.append(name)
    return Coded(per_text[codes] if len(canonical) else np.zeros(0, dtype=np.int64), names)


def _combine(*columns: np.ndarray) -> np.ndarray:
    """One int64 id per distinct combination of integer columns (-1 stays apart)."""
    key = np.zeros(len(columns[0]), dtype=np.int64)
    for column in columns:
        key = key * (int(column.max(initial=0)) + 2) + (column + 1)
    return np.asarray(pd.factorize(key)[0], dtype=np.int64)


def _report(
    found: Collector,
    rows: Rows,
    mask: np.ndarray,
    code: str,
    column: str | np.ndarray | None,
    seen: Callable[[int], str] | pd.Series,
    severity: str = ERROR,
    params: Callable[[int], dict[str, object]] | None = None,
) -> None:
    """One problem per row where `mask` is true, at that row's place."""
    where_rows = np.flatnonzero(mask)
    if len(where_rows) == 0:
        return
    text = (lambda i: str(seen.iloc[i])) if isinstance(seen, pd.Series) else seen
    for i in where_rows[: MAX_PER_CODE * 2]:
        where = column if column is None or isinstance(column, str) else str(column[i])
        found.add(
            Problem(
                code,
                severity=severity,
                sheet=rows.sheet[i],
                row=int(rows.row[i]),
                column=where,
                value=text(int(i)),
                params=params(int(i)) if params else {},
            )
        )
    extra = len(where_rows) - MAX_PER_CODE * 2
    if extra > 0:
        found.counts[code] = found.counts.get(code, 0) + extra


def _check_cells(rows: Rows, context: Context, book: Codebook, found: Collector) -> Cells:
    org = _organisations(rows, context, found)
    period, periods = _periods(rows, context, found)
    bad = (org.ids < 0) | (period.ids < 0)
    bad |= _membership(rows, org, period, periods, context, found)
    measure = _measures(rows, found)
    bad |= measure.ids < 0
    pair1, pair2, dims_bad = _dimensions(rows, book, found)
    bad |= dims_bad
    pairs = codebook_pairs()
    bad |= _breakdowns(rows, measure, pair1, pair2, pairs, book, found)
    value, value_bad = _values(rows, found)
    flag, flag_bad = _flags(rows, found)
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
    group = np.where(known, _combine(org.ids, period.ids, measure.ids), -1)
    group, group_keys = _number_groups(group, org, period, measure)
    cells = Cells(frame, rows, bad, group, group_keys, pair1, pair2, value, pairs)
    bad |= _duplicates(cells, found)
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


def _organisations(rows: Rows, context: Context, found: Collector) -> Coded:
    codes, texts = _factorise(rows.text["organisation"])
    canonical = [_fold(text) for text in texts]
    coded = _coded(codes, [c if c in context.organisations else None for c in canonical])
    _report(found, rows, coded.ids < 0, "unknown_organisation", "organisation", rows.text["organisation"])
    return coded


def _periods(rows: Rows, context: Context, found: Collector) -> tuple[Coded, dict[str, Period]]:
    codes, texts = _factorise(rows.text["period"])
    parsed = [parse_period(text) for text in texts]
    unreadable = np.array([p is None for p in parsed], dtype=bool)[codes]
    unfinished = np.array([p is not None and not p.has_ended(context.today) for p in parsed], dtype=bool)
    _report(found, rows, unreadable, "bad_period", "period", rows.text["period"])
    _report(found, rows, unfinished[codes], "future_period", "period", rows.text["period"])
    usable = [p.code if p is not None and not late else None for p, late in zip(parsed, unfinished, strict=True)]
    return _coded(codes, usable), {p.code: p for p in parsed if p is not None}


def _membership(
    rows: Rows, org: Coded, period: Coded, periods: dict[str, Period], context: Context, found: Collector
) -> np.ndarray:
    """Rows of a known organisation for a period it was not a member in."""
    usable = (org.ids >= 0) & (period.ids >= 0)
    pair = np.where(usable, _combine(org.ids, period.ids), -1)
    outside = np.zeros(len(rows), dtype=bool)
    ids, firsts = np.unique(pair[usable], return_index=True)
    first_rows = np.flatnonzero(usable)[firsts]
    for pair_id, r in zip(ids, first_rows, strict=True):
        info = context.organisations[org.names[org.ids[r]]]
        if not info.active_during(periods[period.names[period.ids[r]]]):
            outside |= pair == pair_id
    _report(
        found,
        rows,
        outside,
        "inactive_organisation",
        "organisation",
        rows.text["organisation"],
        params=lambda i: {"period": period.text(i)},
    )
    return outside


@cache
def _measure_names() -> dict[str, str]:
    book = load_codebook()
    names: dict[str, str] = {}
    for code, measure in book.measures.items():
        for text in (measure.label.fi, measure.label.sv, measure.label.en):
            names.setdefault(_fold(text), code)
    for code in book.measures:
        names[_fold(code)] = code
    return names


def _measures(rows: Rows, found: Collector) -> Coded:
    codes, texts = _factorise(rows.text["measure"])
    names = _measure_names()
    coded = _coded(codes, [names.get(_fold(text)) for text in texts])
    _report(found, rows, coded.ids < 0, "unknown_measure", "measure", rows.text["measure"])
    return coded


@cache
def _owners() -> dict[str, tuple[str, ...]]:
    """Folded text -> the dimensions where it is a code or a label (for 'wrong column' hints)."""
    book = load_codebook()
    owners: dict[str, list[str]] = {}
    for code in book.all_codes():
        for text in (code.code, code.label.fi, code.label.sv, code.label.en):
            names = owners.setdefault(_fold(text), [])
            if code.dimension not in names:
                names.append(code.dimension)
    return {text: tuple(names) for text, names in owners.items()}


def _dimensions(rows: Rows, book: Codebook, found: Collector) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The first and second filled dimension of each row as codebook pair ids (0 = none; -1 = error).

    Dimensions are taken in codebook order, so (dim1, dim2) names the breakdown
    whichever order the file's columns have.
    """
    pairs = codebook_pairs()
    used = [d for d in book.dimensions if d in rows.text]
    n = len(rows)
    pair1, pair2 = np.zeros(n, dtype=np.int64), np.zeros(n, dtype=np.int64)
    count = np.zeros(n, dtype=np.int8)
    masks: list[np.ndarray] = []
    bad = np.zeros(n, dtype=bool)
    owners = _owners()
    for dimension in used:
        codes, texts = _factorise(rows.text[dimension])
        empty = np.array([t.strip() in ("", TOTAL) for t in texts], dtype=bool)
        looked = [book.lookup(dimension, t) for t in texts]
        pair = np.array([pairs.ids.get((dimension, c), -1) if c else -1 for c in looked], dtype=np.int64)
        unknown = ~empty & (pair < 0)
        elsewhere = [tuple(d for d in owners.get(_fold(t), ()) if d != dimension) for t in texts]
        wrong = unknown & np.array([bool(e) for e in elsewhere], dtype=bool)
        _report_codes(found, rows, dimension, codes, unknown & ~wrong, wrong, elsewhere)
        bad |= unknown[codes]
        filled = ~empty[codes]
        masks.append(filled)
        if not filled.any():
            continue
        row_pair = pair[codes]
        first = filled & (count == 0)
        second = filled & (count == 1)
        pair1[first], pair2[second] = row_pair[first], row_pair[second]
        count += filled
    too_many = count > 2
    if too_many.any():
        names = np.array(used, dtype=object)
        filled_at = np.column_stack(masks)
        _report(found, rows, too_many, "too_many_dimensions", None, lambda i: ", ".join(names[filled_at[i]]))
    bad |= too_many
    return np.where(too_many, -1, pair1), np.where(too_many, -1, pair2), bad


def _report_codes(
    found: Collector,
    rows: Rows,
    dimension: str,
    codes: np.ndarray,
    unknown: np.ndarray,
    wrong: np.ndarray,
    elsewhere: list[tuple[str, ...]],
) -> None:
    """Unknown codes, and codes or labels that belong to another dimension's column (named)."""

    def other(i: int) -> dict[str, object]:
        return {"other": ", ".join(elsewhere[codes[i]])}

    seen = rows.text[dimension]
    _report(found, rows, unknown[codes], "unknown_code", dimension, seen, params=lambda i: {"dimension": dimension})
    _report(found, rows, wrong[codes], "code_in_wrong_column", dimension, seen, params=other)


def _breakdowns(
    rows: Rows,
    measure: Coded,
    pair1: np.ndarray,
    pair2: np.ndarray,
    pairs: Pairs,
    book: Codebook,
    found: Collector,
) -> np.ndarray:
    allowed = {(m, d1, d2) for m, combos in book.breakdowns.items() for d1, d2 in combos}
    dim_names = list(dict.fromkeys(pairs.dims))
    dim_of_pair = np.array([dim_names.index(d) for d in pairs.dims], dtype=np.int64)
    ok = (measure.ids >= 0) & (pair1 >= 0) & (pair2 >= 0)
    dim1 = np.where(ok, dim_of_pair[np.maximum(pair1, 0)], -1)
    dim2 = np.where(ok, dim_of_pair[np.maximum(pair2, 0)], -1)
    combination = np.where(ok, _combine(measure.ids, dim1, dim2), -1)
    bad = np.zeros(len(rows), dtype=bool)
    ids, firsts = np.unique(combination[ok], return_index=True)
    for combo, r in zip(ids, np.flatnonzero(ok)[firsts], strict=True):
        key = (measure.names[measure.ids[r]], dim_names[dim1[r]], dim_names[dim2[r]])
        if key not in allowed:
            bad |= combination == combo

    def named(i: int) -> str:
        return " × ".join(dim_names[d] for d in (dim1[i], dim2[i]) if dim_names[d] != TOTAL) or TOTAL

    _report(
        found,
        rows,
        bad,
        "breakdown_not_allowed",
        "measure",
        named,
        params=lambda i: {"measure": str(measure.text(i))},
    )
    return bad


def parse_value(text: str) -> tuple[int | None, str | None]:
    """A count as written (thousands separators allowed), or the problem it has."""
    cleaned = text.strip()
    if cleaned == "":
        return None, None
    if _DIGITS.match(cleaned) or _GROUPED.match(cleaned):
        number = int(_SEPARATORS.sub("", cleaned))
        return (number, None) if number <= MAX_VALUE else (None, "value_too_large")
    return None, _value_problem(cleaned)


def _value_problem(text: str) -> str:
    if text[0] in "<>≤≥":
        return "suppressed_value"
    if re.match(r"^[-−–]\s*[0-9]", text):
        return "negative_value"
    if re.match(r"^[0-9 \u00a0\u202f]*[.,][0-9]+$", text):
        return "decimal_value"
    if re.match(r"^[0-9]+\s*[-–—]\s*[0-9]+$", text):
        return "range_value"
    return "not_a_number"


def _values(rows: Rows, found: Collector) -> tuple[np.ndarray, np.ndarray]:
    codes, texts = _factorise(rows.text["value"])
    parsed = [parse_value(text) for text in texts]
    numbers = np.array([np.nan if v is None else float(v) for v, _ in parsed], dtype=np.float64)
    kinds = [problem for _, problem in parsed]
    bad = np.zeros(len(rows), dtype=bool)
    for kind in sorted({k for k in kinds if k}):
        mask = np.array([k == kind for k in kinds], dtype=bool)[codes]
        _report(found, rows, mask, kind, rows.cell_column, rows.text["value"])
        bad |= mask
    return numbers[codes], bad


def _flags(rows: Rows, found: Collector) -> tuple[Coded, np.ndarray]:
    n = len(rows)
    if "flag" not in rows.text:
        return Coded(np.full(n, -1, dtype=np.int64), []), np.zeros(n, dtype=bool)
    codes, texts = _factorise(rows.text["flag"])
    cleaned = [text.strip().upper() for text in texts]
    bad = np.array([c not in ("", *FLAGS) for c in cleaned], dtype=bool)[codes]
    _report(found, rows, bad, "bad_flag", "flag", rows.text["flag"])
    return _coded(codes, [c if c in FLAGS else None for c in cleaned]), bad


def _duplicates(cells: Cells, found: Collector) -> np.ndarray:
    complete = (cells.group >= 0) & (cells.pair1 >= 0) & (cells.pair2 >= 0)
    size = cells.book_pairs.size
    key = (cells.group * size + cells.pair1) * size + cells.pair2
    key = np.where(complete, key, -1 - np.arange(len(key)))  # incomplete rows never collide
    codes = np.asarray(pd.factorize(key)[0], dtype=np.int64)
    first_index = np.full(int(codes.max(initial=-1)) + 1, -1, dtype=np.int64)
    order = np.arange(len(codes))[::-1]
    first_index[codes[order]] = order  # the last write for each code is its smallest index
    first = first_index[codes]
    dup = first != np.arange(len(codes))
    rows = cells.rows
    _report(
        found,
        rows,
        dup,
        "duplicate_cell",
        None,
        lambda i: "",
        params=lambda i: {"first_row": int(rows.row[first[i]])},
    )
    return dup
