"""The open data interface's answers (dashboard/api.py serves them at /api/v1/).

Read-only, versioned and protected: the cells are the published dataset's
(etl.publish.dataset, as the Download page gives it), filtered by measure, breakdown and
years, in one of its shapes (CSV, SDMX-CSV) or as JSON with the same fields. Nothing here
reads an organisation's own figures.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from etl.codebook import TOTAL, Labels, load_codebook
from etl.config import Settings
from etl.errors import NotFoundError, TilannekuvaError
from etl.publish import dataset, snapshots

FORMATS = {"csv": "text/csv; charset=utf-8", "sdmx": "text/csv; charset=utf-8", "json": "application/json"}
LANGS = ("fi", "sv", "en")


class BadRequest(TilannekuvaError):
    """A parameter the interface does not know (the message names it)."""


@dataclass(frozen=True)
class Query:
    measure: str
    dim1: str = TOTAL
    dim2: str = TOTAL
    first_year: int | None = None
    last_year: int | None = None
    version: int | None = None  # None: the current version
    fmt: str = "csv"
    lang: str = "fi"


def _labels(labels: Labels) -> dict[str, str]:
    return {lang: labels.get(lang) for lang in LANGS}


def catalogue(settings: Settings) -> dict[str, object]:
    """What may be asked: data versions, measures with their breakdowns, code lists, formats."""
    book = load_codebook()
    current = snapshots.current(settings)
    return {
        "current_version": current.version if current else None,
        "versions": snapshots.list_versions(settings),
        "measures": [
            {
                "code": code,
                "label": _labels(measure.label),
                "breakdowns": [",".join(d for d in pair if d != TOTAL) for pair in book.breakdowns.get(code, [])],
            }
            for code, measure in sorted(book.measures.items(), key=lambda item: item[1].sort)
        ],
        "code_lists": {
            dimension: [{"code": code.code, "label": _labels(code.label)} for code in codes.values()]
            for dimension, codes in book.codes.items()
        },
        "formats": sorted(FORMATS),
        "notation": {"<5": "small", "x": "hidden", "..": "not available", "0": "zero"},
    }


def parse(params: dict[str, str]) -> Query:
    """A query from the address's parameters; BadRequest names the first one that is wrong."""
    book = load_codebook()
    measure = params.get("measure", "")
    if measure not in book.measures:
        raise BadRequest("api.bad_parameter", name="measure", value=measure)
    dims = [part for part in params.get("breakdown", "").split(",") if part] or [TOTAL]
    dim1, dim2 = [*dims, TOTAL][:2]
    if len(dims) > 2 or (dim1, dim2) not in book.breakdowns.get(measure, []):
        raise BadRequest("api.bad_parameter", name="breakdown", value=params.get("breakdown", ""))
    first, last = _years(params.get("years", ""))
    version = _number(params, "version")
    fmt, lang = params.get("format", "csv"), params.get("lang", "fi")
    if fmt not in FORMATS:
        raise BadRequest("api.bad_parameter", name="format", value=fmt)
    if lang not in LANGS:
        raise BadRequest("api.bad_parameter", name="lang", value=lang)
    return Query(measure, dim1, dim2, first, last, version, fmt, lang)


def _number(params: dict[str, str], name: str) -> int | None:
    text = params.get(name, "")
    if not text:
        return None
    if not text.isdigit():
        raise BadRequest("api.bad_parameter", name=name, value=text)
    return int(text)


def _years(text: str) -> tuple[int | None, int | None]:
    """`2020`, `2020-2025` or nothing (every year)."""
    if not text:
        return None, None
    first, _, last = text.partition("-")
    if not first.isdigit() or (last and not last.isdigit()):
        raise BadRequest("api.bad_parameter", name="years", value=text)
    return int(first), int(last or first)


CELLS_KEPT = 8  # versions whose cells stay in memory
_cells: OrderedDict[tuple[Path, int, tuple[Path, ...]], pd.DataFrame] = OrderedDict()
_cells_lock = threading.Lock()


def _cells_of(path: Path, threshold: int, priors: tuple[Path, ...]) -> pd.DataFrame:
    """A retained version's published cells (its file never changes: kept for the next question)."""
    key = (path, threshold, priors)
    with _cells_lock:
        if key in _cells:
            _cells.move_to_end(key)
            return _cells[key]
    cells = dataset.published_cells(path, threshold, list(priors))
    with _cells_lock:
        _cells[key] = cells
        while len(_cells) > CELLS_KEPT:
            _cells.popitem(last=False)
    return cells


@dataclass(frozen=True)
class Source:
    """The retained version a query reads, as the protection of its cells depends on it."""

    path: Path
    version: int
    threshold: int
    priors: tuple[Path, ...]


def source(settings: Settings, query: Query) -> Source:
    """The version asked (the current one by default); NotFoundError when there is none."""
    ref = snapshots.current(settings) if query.version is None else snapshots.get(settings, query.version)
    if ref is None:
        raise NotFoundError("snapshot.none_published")
    return Source(ref.path, ref.version, settings.disclosure_threshold, tuple(snapshots.earlier(settings, ref.version)))


def in_memory(src: Source) -> bool:
    """Whether `answer_from` reads no file: the version's cells are kept (a server may answer inline)."""
    with _cells_lock:
        return (src.path, src.threshold, src.priors) in _cells


def answer(settings: Settings, query: Query) -> tuple[int, bytes, str]:
    """(data version, body, media type) for one query."""
    return answer_from(source(settings, query), query)


def answer_from(src: Source, query: Query) -> tuple[int, bytes, str]:
    return src.version, _body(src.path, src.version, src.threshold, src.priors, query), FORMATS[query.fmt]


@lru_cache(maxsize=256)
def _body(path: Path, version: int, threshold: int, priors: tuple[Path, ...], query: Query) -> bytes:
    """One answer of a retained version (which never changes): scripts ask the same tables again and again."""
    cells = _cells_of(path, threshold, priors)
    chosen = cells[(cells["measure"] == query.measure) & (cells["dim1"] == query.dim1) & (cells["dim2"] == query.dim2)]
    if query.first_year is not None:
        chosen = chosen[chosen["year"].between(query.first_year, query.last_year)]
    if query.fmt == "sdmx":
        return dataset.to_sdmx_csv(chosen)
    if query.fmt == "csv":
        return dataset.to_csv(chosen, version, query.lang)
    return _json(chosen, version, query.lang)


def _json(cells: pd.DataFrame, version: int, lang: str) -> bytes:
    """The CSV's rows as JSON objects with the same fields (hidden or not collected: value null)."""
    body = [dict(zip(dataset.CSV_COLUMNS, row, strict=True)) for row in dataset.rows(cells, version, lang)]
    return json.dumps({"data_version": version, "cells": body}, ensure_ascii=False).encode("utf-8")
