"""Run SQL kept in .sql files, with bound parameters only."""

from __future__ import annotations

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
