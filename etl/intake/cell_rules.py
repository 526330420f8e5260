"""The cell-level rules: organisation, period, membership, measure, dimensions, breakdown, value, flag, duplicates."""

from __future__ import annotations

import re
from functools import cache

import numpy as np
import pandas as pd

from etl.codebook import TOTAL, Codebook, load_codebook
from etl.intake.columns import codebook_pairs, combine, factorise, fold, report, to_coded
from etl.intake.shapes import Cells, Coded, Collector, Context, Pairs, Rows
from etl.periods import Period, parse_period

FLAGS = ("P", "E", "R")
MAX_VALUE = 1_000_000_000
_DIGITS = re.compile(r"^[0-9]+$")
_GROUPED = re.compile(r"^[0-9]{1,3}(?:[ \u00a0\u202f\u2009][0-9]{3})+$")
_SEPARATORS = re.compile(r"[ \u00a0\u202f\u2009]")


def organisations(rows: Rows, context: Context, found: Collector) -> Coded:
    codes, texts = factorise(rows.text["organisation"])
    canonical = [fold(text) for text in texts]
    coded = to_coded(codes, [c if c in context.organisations else None for c in canonical])
    report(found, rows, coded.ids < 0, "unknown_organisation", "organisation", rows.text["organisation"])
    return coded


def periods(rows: Rows, context: Context, found: Collector) -> tuple[Coded, dict[str, Period]]:
    codes, texts = factorise(rows.text["period"])
    parsed = [parse_period(text) for text in texts]
    unreadable = np.array([p is None for p in parsed], dtype=bool)[codes]
    unfinished = np.array([p is not None and not p.has_ended(context.today) for p in parsed], dtype=bool)
    report(found, rows, unreadable, "bad_period", "period", rows.text["period"])
    report(found, rows, unfinished[codes], "future_period", "period", rows.text["period"])
    usable = [p.code if p is not None and not late else None for p, late in zip(parsed, unfinished, strict=True)]
    return to_coded(codes, usable), {p.code: p for p in parsed if p is not None}


def membership(
    rows: Rows, org: Coded, period: Coded, periods: dict[str, Period], context: Context, found: Collector
) -> np.ndarray:
    """Rows of a known organisation for a period it was not a member in."""
    usable = (org.ids >= 0) & (period.ids >= 0)
    pair = np.where(usable, combine(org.ids, period.ids), -1)
    outside = np.zeros(len(rows), dtype=bool)
    ids, firsts = np.unique(pair[usable], return_index=True)
    first_rows = np.flatnonzero(usable)[firsts]
    for pair_id, r in zip(ids, first_rows, strict=True):
        info = context.organisations[org.names[org.ids[r]]]
        if not info.active_during(periods[period.names[period.ids[r]]]):
            outside |= pair == pair_id
    report(
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
            names.setdefault(fold(text), code)
    for code in book.measures:
        names[fold(code)] = code
    return names


def measures(rows: Rows, found: Collector) -> Coded:
    codes, texts = factorise(rows.text["measure"])
    names = _measure_names()
    coded = to_coded(codes, [names.get(fold(text)) for text in texts])
    report(found, rows, coded.ids < 0, "unknown_measure", "measure", rows.text["measure"])
    return coded


@cache
def _owners() -> dict[str, tuple[str, ...]]:
    """Folded text -> the dimensions where it is a code or a label (for 'wrong column' hints)."""
    book = load_codebook()
    owners: dict[str, list[str]] = {}
    for code in book.all_codes():
        for text in (code.code, code.label.fi, code.label.sv, code.label.en):
            names = owners.setdefault(fold(text), [])
            if code.dimension not in names:
                names.append(code.dimension)
    return {text: tuple(names) for text, names in owners.items()}


def dimensions(rows: Rows, book: Codebook, found: Collector) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
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
        codes, texts = factorise(rows.text[dimension])
        empty = np.array([t.strip() in ("", TOTAL) for t in texts], dtype=bool)
        looked = [book.lookup(dimension, t) for t in texts]
        pair = np.array([pairs.ids.get((dimension, c), -1) if c else -1 for c in looked], dtype=np.int64)
        unknown = ~empty & (pair < 0)
        elsewhere = [tuple(d for d in owners.get(fold(t), ()) if d != dimension) for t in texts]
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
        report(found, rows, too_many, "too_many_dimensions", None, lambda i: ", ".join(names[filled_at[i]]))
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
    report(found, rows, unknown[codes], "unknown_code", dimension, seen, params=lambda i: {"dimension": dimension})
    report(found, rows, wrong[codes], "code_in_wrong_column", dimension, seen, params=other)


def breakdowns(
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
    combination = np.where(ok, combine(measure.ids, dim1, dim2), -1)
    bad = np.zeros(len(rows), dtype=bool)
    ids, firsts = np.unique(combination[ok], return_index=True)
    for combo, r in zip(ids, np.flatnonzero(ok)[firsts], strict=True):
        key = (measure.names[measure.ids[r]], dim_names[dim1[r]], dim_names[dim2[r]])
        if key not in allowed:
            bad |= combination == combo

    def named(i: int) -> str:
        return " × ".join(dim_names[d] for d in (dim1[i], dim2[i]) if dim_names[d] != TOTAL) or TOTAL

    report(
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


def values(rows: Rows, found: Collector) -> tuple[np.ndarray, np.ndarray]:
    codes, texts = factorise(rows.text["value"])
    parsed = [parse_value(text) for text in texts]
    numbers = np.array([np.nan if v is None else float(v) for v, _ in parsed], dtype=np.float64)
    kinds = [problem for _, problem in parsed]
    bad = np.zeros(len(rows), dtype=bool)
    for kind in sorted({k for k in kinds if k}):
        mask = np.array([k == kind for k in kinds], dtype=bool)[codes]
        report(found, rows, mask, kind, rows.cell_column, rows.text["value"])
        bad |= mask
    return numbers[codes], bad


def flags(rows: Rows, found: Collector) -> tuple[Coded, np.ndarray]:
    n = len(rows)
    if "flag" not in rows.text:
        return Coded(np.full(n, -1, dtype=np.int64), []), np.zeros(n, dtype=bool)
    codes, texts = factorise(rows.text["flag"])
    cleaned = [text.strip().upper() for text in texts]
    bad = np.array([c not in ("", *FLAGS) for c in cleaned], dtype=bool)[codes]
    report(found, rows, bad, "bad_flag", "flag", rows.text["flag"])
    return to_coded(codes, [c if c in FLAGS else None for c in cleaned]), bad


def duplicates(cells: Cells, found: Collector) -> np.ndarray:
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
    report(
        found,
        rows,
        dup,
        "duplicate_cell",
        None,
        lambda i: "",
        params=lambda i: {"first_row": int(rows.row[first[i]])},
    )
    return dup
