"""DuckDB access shared by every stage: SQL kept in .sql files, run with bound parameters only;
and a published snapshot opened read-only."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any

import duckdb


@cache
def read_sql(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def run_sql_file(con: duckdb.DuckDBPyConnection, path: Path, params: dict[str, Any] | None = None) -> None:
    """Execute every statement of a file, binding only the parameters each one names."""
    params = params or {}
    for statement in duckdb.extract_statements(read_sql(path)):
        wanted = {name: params[name] for name in statement.named_parameters}
        con.execute(statement, wanted)


def open_snapshot(path: Path) -> duckdb.DuckDBPyConnection:
    """A hardened, read-only connection: no file or network access beyond the snapshot."""
    return duckdb.connect(
        str(path),
        read_only=True,
        config={"enable_external_access": False, "lock_configuration": True},
    )


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """BEGIN ... COMMIT, or ROLLBACK when anything inside fails: all of it or nothing."""
    con.execute("BEGIN TRANSACTION")
    try:
        yield con
        con.execute("COMMIT")
    except BaseException:
        with contextlib.suppress(duckdb.Error):  # the failure may have ended the transaction already
            con.execute("ROLLBACK")
        raise
