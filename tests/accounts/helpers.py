"""Shared by the account tests: audit rows as the warehouse holds them after a flush."""

from __future__ import annotations

import duckdb

from etl.config import Settings
from etl.warehouse import audit
from etl.warehouse.writer import flush_audit


def audit_rows(settings: Settings, *actions: str) -> list[tuple[str, str, str]]:
    """(actor, action, outcome) of every row of `actions`, oldest first, after moving the spool in."""
    flush_audit(settings)
    assert audit.pending(settings) == [], "the spool should be empty after a flush with the writer free"
    if not settings.warehouse_path.is_file():
        return []
    con = duckdb.connect(str(settings.warehouse_path), read_only=True)
    try:
        return [
            (str(a), str(b), str(c))
            for a, b, c in con.execute(
                "SELECT actor, action, outcome FROM audit_log WHERE list_contains(?, action) ORDER BY id",
                [list(actions)],
            ).fetchall()
        ]
    finally:
        con.close()
