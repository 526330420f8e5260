"""What is published and what waits: read from the current snapshot and the warehouse."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from etl.config import Settings
from etl.publish import snapshots


@dataclass
class Status:
    version: int | None = None
    published_at: datetime | None = None
    organisations: int = 0
    periods: int = 0
    cells: int = 0
    drafts: int = 0
    last_load: dict[str, Any] = field(default_factory=dict)


def read_status(settings: Settings) -> Status:
    status = Status()
    ref = snapshots.current(settings)
    if ref is None:
        return status
    status.version, status.published_at = ref.version, ref.published_at
    with snapshots.open_snapshot(ref.path) as con:
        row = con.execute(
            "SELECT count(DISTINCT org_code), count(DISTINCT period), (SELECT count(*) FROM fact_reported) "
            "FROM submission"
        ).fetchone()
    if row:
        status.organisations, status.periods, status.cells = int(row[0]), int(row[1]), int(row[2])
    if settings.warehouse_path.exists():
        status.drafts, status.last_load = _warehouse_status(settings)
    return status


def _warehouse_status(settings: Settings) -> tuple[int, dict[str, Any]]:
    """Drafts and the last load, read without taking the writer lock (read-only open)."""
    import duckdb

    try:
        con = duckdb.connect(str(settings.warehouse_path), read_only=True)
    except duckdb.IOException:
        return 0, {}  # a writer holds the file: the published side above is still right
    with con:
        drafts = con.execute("SELECT count(*) FROM submission WHERE status = 'draft'").fetchone()
        last = con.execute(
            "SELECT logged_at, actor, outcome, detail->>'file_name' FROM audit_log "
            "WHERE action = 'load' ORDER BY id DESC LIMIT 1"
        ).fetchone()
    load = {}
    if last:
        load = {
            "when": last[0].strftime("%Y-%m-%d %H:%M"),
            "actor": last[1],
            "outcome": last[2],
            "file": last[3],
        }
    return int(drafts[0]) if drafts else 0, load
