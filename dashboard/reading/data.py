"""The dashboard's query layer: SQL files run against the current published snapshot.

Only etl writes data; this module opens snapshots read-only and notices a new
published version on the next rerun, without a restart.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import streamlit as st

from etl.config import get_settings
from etl.errors import NotFoundError
from etl.publish import snapshots
from etl.publish.preview import is_preview
from etl.publish.snapshots import SnapshotRef
from etl.sqlfiles import read_sql

QUERIES_DIR = Path(__file__).parent / "queries"
# Private preview files this run holds open (etl.publish.preview): per thread of one session, never shared.
_PRIVATE: ContextVar[dict[str, duckdb.DuckDBPyConnection] | None] = ContextVar("private_snapshots", default=None)


def current_snapshot() -> SnapshotRef | None:
    """The published version to show now (a small file read on every rerun)."""
    return snapshots.current(get_settings())


def view_snapshot() -> SnapshotRef | None:
    """The version this view asks for: ?v=N of a permalink when it is retained, else the current one."""
    requested = st.query_params.get("v")
    if requested and requested.isdigit():
        try:
            return snapshots.get(get_settings(), int(requested))
        except NotFoundError:
            pass  # the page says so: see dashboard.components (permalinks come with the exports issue)
    return current_snapshot()


@st.cache_resource(max_entries=16, show_spinner=False)
def _connection(path: str) -> duckdb.DuckDBPyConnection:
    return snapshots.open_snapshot(Path(path))


def run_query(path: Path, name: str, **params: Any) -> pd.DataFrame:
    """Run dashboard/reading/queries/<name>.sql with bound parameters on one snapshot file.

    A private preview of an unpublished upload (etl.publish.preview) is opened for this
    query alone, never through the connection cache that sessions share.
    """
    sql = read_sql(QUERIES_DIR / f"{name}.sql")
    if is_preview(get_settings(), path):
        held = (_PRIVATE.get() or {}).get(str(path))
        if held is not None:
            return held.execute(sql, params).df()
        with snapshots.open_snapshot(path) as private:
            return private.execute(sql, params).df()
    cursor = _connection(str(path)).cursor()  # a cursor per call: sessions run in threads
    try:
        return cursor.execute(sql, params).df()
    finally:
        cursor.close()


@contextmanager
def private_snapshot(ref: SnapshotRef) -> Iterator[None]:
    """Keep a private preview open for the queries of this block (in this thread only), then close it."""
    con = snapshots.open_snapshot(ref.path)
    token = _PRIVATE.set({**(_PRIVATE.get() or {}), str(ref.path): con})
    try:
        yield
    finally:
        _PRIVATE.reset(token)
        con.close()


@st.cache_data(max_entries=512, show_spinner=False)
def _shared_query(path: str, name: str, params: tuple[tuple[str, Any], ...]) -> pd.DataFrame:
    return run_query(Path(path), name, **dict(params))


def public_query(ref: SnapshotRef, name: str, **params: Any) -> pd.DataFrame:
    """A query whose result may be shared across sessions: public codebook and network tables only.

    The cache key holds the snapshot's path, so a new published version never
    reuses an old answer. A private preview is never shared: it is queried uncached.
    """
    if is_preview(get_settings(), ref.path):
        return run_query(ref.path, name, **params)
    return _shared_query(str(ref.path), name, tuple(sorted(params.items())))
