"""The checks a monitoring job runs on the data folder (`python -m etl check`; docs/deployment.md).

Each check reads without taking the writer lock: the pointer the dashboards serve,
the newest version the warehouse has published, and the audit spool. (Errors in the
log are for the log shipper: docs/deployment.md, "What to monitor".)
An alert is a message key with its parameters, so the command says it in the
reader's language; the exit code says whether any alert is due.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

import duckdb

from etl.config import Settings
from etl.publish import snapshots

SPOOL_MINUTES = 5  # sign-in and busy rows wait in the spool until the next writer; longer means none ran


@dataclass(frozen=True)
class Finding:
    key: str  # message key under monitor.
    params: dict[str, Any] = field(default_factory=dict)
    alert: bool = True


def _latest_published(settings: Settings) -> int | str | None:
    """The warehouse's newest data version; "busy" while a writer has the file open."""
    if not settings.warehouse_path.exists():
        return None
    try:
        con = duckdb.connect(str(settings.warehouse_path), read_only=True)
    except duckdb.IOException:
        return "busy"
    with con:
        return snapshots.latest_version(con)


def _version(settings: Settings) -> list[Finding]:
    served = snapshots.current(settings)
    latest = _latest_published(settings)
    if served is None:
        return [Finding("monitor.nothing_served", alert=latest is not None)]
    if latest == "busy":
        return [Finding("monitor.served_writer_busy", {"served": str(served.version)}, alert=False)]
    if latest is not None and latest != served.version:
        return [Finding("monitor.served_behind", {"served": str(served.version), "latest": str(latest)})]
    return [Finding("monitor.served_latest", {"served": str(served.version)}, alert=False)]


def _spool(settings: Settings, now: float) -> list[Finding]:
    folder = settings.audit_spool_dir
    waiting = folder.glob("*.json") if folder.is_dir() else []
    stale = [p for p in waiting if now - p.stat().st_mtime > SPOOL_MINUTES * 60]
    if stale:
        return [Finding("monitor.spool_stale", {"count": len(stale), "minutes": SPOOL_MINUTES})]
    return []


def check(settings: Settings, now: float | None = None) -> list[Finding]:
    """Every finding, alerts first; `now` (epoch seconds) for tests."""
    found = _version(settings) + _spool(settings, time.time() if now is None else now)
    return sorted(found, key=lambda f: not f.alert)


def health(settings: Settings) -> dict[str, Any]:
    """What a load balancer asks: is a published version served, and can it be read?

    `ok` is False when nothing is published or the served snapshot cannot be opened; the
    version and its publication time are given when it can (nothing else: the answer is public).
    """
    served = snapshots.current(settings)
    if served is None:
        return {"ok": False, "status": "nothing_published"}
    try:
        with snapshots.open_snapshot(served.path) as con:
            row = con.execute("SELECT version FROM meta").fetchone()
    except (duckdb.Error, OSError):
        return {"ok": False, "status": "snapshot_unreadable", "version": served.version}
    if row is None or int(row[0]) != served.version:
        return {"ok": False, "status": "snapshot_unreadable", "version": served.version}
    return {"ok": True, "status": "ok", "version": served.version, "published_at": served.published_at.isoformat()}
