"""Vectorised column tools the validation rules share: factorise once, code, combine keys, report rows."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

import numpy as np
import pandas as pd

from etl.codebook import TOTAL, load_codebook
from etl.intake.problems import ERROR, Problem
from etl.intake.shapes import MAX_PER_CODE, Coded, Collector, Pairs, Rows


@cache
def codebook_pairs() -> Pairs:
    book = load_codebook()
    ids = {(TOTAL, TOTAL): 0}
    for code in book.all_codes():
        ids[(code.dimension, code.code)] = len(ids)
    dims = np.array([d for d, _ in ids], dtype=object)
    codes = np.array([c for _, c in ids], dtype=object)
    return Pairs(ids, dims, codes)


def fold(text: object) -> str:
    return " ".join(str(text).split()).casefold()


def factorise(series: pd.Series) -> tuple[np.ndarray, list[str]]:
    """Integer codes and the distinct texts; a missing cell counts as ''."""
    codes, uniques = pd.factorize(series)
    texts = ["" if u is None or (isinstance(u, float) and np.isnan(u)) else str(u) for u in uniques]
    codes = np.asarray(codes, dtype=np.int64)
    if (codes < 0).any():
        texts.append("")
        codes = np.where(codes < 0, len(texts) - 1, codes)
    return codes, texts


def to_coded(codes: np.ndarray, canonical: list[str | None]) -> Coded:
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


def combine(*columns: np.ndarray) -> np.ndarray:
    """One int64 id per distinct combination of integer columns (-1 stays apart)."""
    key = np.zeros(len(columns[0]), dtype=np.int64)
    for column in columns:
        key = key * (int(column.max(initial=0)) + 2) + (column + 1)
    return np.asarray(pd.factorize(key)[0], dtype=np.int64)


def report(
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
