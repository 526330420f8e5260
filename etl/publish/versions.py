"""Publishing: every change to what is public makes a new data version and a new snapshot."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime
from typing import Any

import duckdb

from etl.config import Settings
from etl.errors import NotFoundError
from etl.publish import snapshots
from etl.sqlfiles import transaction
from etl.warehouse import audit, context


def next_version(con: duckdb.DuckDBPyConnection) -> int:
    return (snapshots.latest_version(con) or 0) + 1


def record_version(
    con: duckdb.DuckDBPyConnection,
    version: int,
    actor: str,
    action: str,
    note: str | None,
    summary: dict[str, Any],
    recorded: audit.Recorded | None = None,
    at: datetime | None = None,
) -> None:
    """Record the version and its audit row, inside the caller's transaction (etl.sqlfiles.transaction).

    The audit detail holds what a rebuild needs to replay this step: the version, the
    (organisation, period, submission version) pairs and the note. A replay (`recorded`)
    writes the original row again, with its time; `at` is the time of a new row.
    """
    now = recorded.logged_at if recorded else (at or datetime.now())
    con.execute(
        "INSERT INTO data_version VALUES (?, ?, ?, ?, ?::JSON)",
        [version, now, actor, note, json.dumps(summary, ensure_ascii=False)],
    )
    if recorded is not None:
        logged = recorded.detail.get("version")
        if logged != version:
            raise RuntimeError(f"replayed {action} made version {version}, the log says {logged}")
        audit.append_recorded(con, recorded)
    else:
        audit.append(con, actor, action, "ok", {"version": version, "note": note, **summary}, logged_at=now)


def serve(con: duckdb.DuckDBPyConnection, settings: Settings, version: int) -> None:
    """Build the committed version's snapshot and serve it.

    A kill from here on leaves the previous snapshot served; snapshots.repair finishes it.
    """
    snapshots.build(con, settings, version)
    snapshots.switch(settings, version)


def publish_drafts(
    con: duckdb.DuckDBPyConnection,
    settings: Settings,
    actor: str,
    keys: Iterable[tuple[str, str]] | None = None,
    note: str | None = None,
    recorded: audit.Recorded | None = None,
) -> int | None:
    """Publish the newest draft of each (organisation, period), or of the given ones.

    Returns the new data version, or None when there was nothing to publish.
    """
    with transaction(con):
        drafts = con.execute(
            "SELECT id, org_code, period, version FROM submission WHERE status = 'draft' "
            "QUALIFY version = max(version) OVER (PARTITION BY org_code, period) ORDER BY org_code, period"
        ).fetchall()
        wanted = set(keys) if keys is not None else None
        chosen = [row for row in drafts if wanted is None or (row[1], row[2]) in wanted]
        if not chosen:
            return None  # nothing changed
        version = next_version(con)
        for submission_id, org_code, period, _ in chosen:
            con.execute(
                "UPDATE submission SET status = 'superseded', ended_version = ? "
                "WHERE org_code = ? AND period = ? AND status = 'published'",
                [version, org_code, period],
            )
            con.execute(
                "UPDATE submission SET status = 'discarded' "
                "WHERE org_code = ? AND period = ? AND status = 'draft' AND id <> ?",
                [org_code, period, submission_id],
            )
            con.execute(
                "UPDATE submission SET status = 'published', published_version = ? WHERE id = ?",
                [version, submission_id],
            )
        summary = {"published": [{"org_code": o, "period": p, "version": v} for _, o, p, v in chosen]}
        record_version(con, version, actor, "publish", note, summary, recorded)
    serve(con, settings, version)
    return version


def withdraw(
    con: duckdb.DuckDBPyConnection,
    settings: Settings,
    actor: str,
    org_code: str,
    period: str,
    note: str | None = None,
    recorded: audit.Recorded | None = None,
) -> int:
    """Take an organisation's figures for a period out of the published data."""
    with transaction(con):
        row = con.execute(
            "SELECT id, version FROM submission WHERE org_code = ? AND period = ? AND status = 'published'",
            [org_code, period],
        ).fetchone()
        if row is None:
            raise NotFoundError("publish.nothing_to_withdraw", org=org_code, period=period)
        version = next_version(con)
        con.execute(
            "UPDATE submission SET status = 'withdrawn', ended_version = ? WHERE id = ?",
            [version, row[0]],
        )
        summary = {"withdrawn": [{"org_code": org_code, "period": period, "version": row[1]}]}
        record_version(con, version, actor, "withdraw", note, summary, recorded)
    serve(con, settings, version)
    return version


def publish_context(
    con: duckdb.DuckDBPyConnection,
    settings: Settings,
    actor: str,
    note: str | None = None,
    recorded: audit.Recorded | None = None,
) -> int | None:
    """Publish the staff's context changes (notes, breaks, reference series) as a new data version.

    The figures stay as they are. Returns the new version, or None when the context is
    already as published.
    """
    with transaction(con):
        latest = snapshots.latest_version(con)
        if latest is None:
            raise NotFoundError("staff_notes.errors.nothing_published")
        with snapshots.attached(con, settings, latest, "published"):
            changed = context.changes(con, "published")
        if not changed:
            return None
        version = latest + 1
        record_version(con, version, actor, "publish_context", note, {"context": changed}, recorded)
    serve(con, settings, version)
    return version
