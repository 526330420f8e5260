"""The append-only audit log: one row per attempt, sealed and hash-chained.

When the warehouse is busy, an attempt's row is written to a spool folder and
moved into the log by the next writer, so no attempt goes unrecorded.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb

from etl.config import Settings
from etl.durable import write_atomic
from etl.sqlfiles import transaction

_HASH_SQL = (
    "sha256(concat_ws(chr(31), ?::TEXT, ?::BIGINT::TEXT, strftime(?::TIMESTAMP, "
    "'%Y-%m-%dT%H:%M:%S.%f'), ?::TEXT, ?::TEXT, ?::TEXT, ?::JSON::TEXT))"
)


def _last_hash(con: duckdb.DuckDBPyConnection) -> str:
    row = con.execute("SELECT row_hash FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()
    return str(row[0]) if row else ""


@dataclass(frozen=True)
class Recorded:
    """An audit row as it stands in a log, replayed by etl.ops.rebuild with the same id, time and detail."""

    id: int
    logged_at: datetime
    actor: str
    action: str
    outcome: str
    detail: dict[str, Any]


def append(
    con: duckdb.DuckDBPyConnection,
    actor: str,
    action: str,
    outcome: str,
    detail: dict[str, Any] | None = None,
    logged_at: datetime | None = None,
    row_id: int | None = None,
) -> int:
    """Add one sealed row; runs inside the caller's transaction if one is open.

    `row_id` is for a rebuild, which writes each row with the id it had (so the
    hash chain comes out the same); new rows take the next id of the sequence.
    """
    logged_at = logged_at or datetime.now()
    detail_json = json.dumps(detail or {}, ensure_ascii=False, sort_keys=True, default=str)
    prev = _last_hash(con)
    if row_id is None:
        row = con.execute("SELECT nextval('audit_id_seq')").fetchone()
        assert row is not None
        new_id = int(row[0])
    else:
        new_id = row_id
    params = [prev, new_id, logged_at, actor, action, outcome, detail_json]
    con.execute(
        "INSERT INTO audit_log (id, logged_at, actor, action, outcome, detail, prev_hash, row_hash) "
        f"VALUES (?, ?, ?, ?, ?, ?::JSON, ?, {_HASH_SQL})",
        [new_id, logged_at, actor, action, outcome, detail_json, prev, *params],
    )
    con.execute("INSERT INTO audit_seal SELECT id, row_hash FROM audit_log WHERE id = ?", [new_id])
    return new_id


def append_recorded(con: duckdb.DuckDBPyConnection, recorded: Recorded) -> int:
    return append(
        con,
        recorded.actor,
        recorded.action,
        recorded.outcome,
        recorded.detail,
        recorded.logged_at,
        row_id=recorded.id,
    )


def read_log(con: duckdb.DuckDBPyConnection) -> list[Recorded]:
    """Every row of the log, oldest first."""
    rows = con.execute(
        "SELECT id, logged_at, actor, action, outcome, detail::TEXT FROM audit_log ORDER BY id"
    ).fetchall()
    return [Recorded(int(i), at, who, act, outcome, json.loads(detail)) for i, at, who, act, outcome, detail in rows]


def verify(con: duckdb.DuckDBPyConnection) -> list[int]:
    """Ids of rows whose chain link is broken (empty when the log is intact)."""
    rows = con.execute(
        "SELECT l.id, l.prev_hash, lag(l.row_hash, 1, '') OVER (ORDER BY l.id), s.id IS NULL "
        "FROM audit_log l LEFT JOIN audit_seal s USING (id) ORDER BY l.id"
    ).fetchall()
    return [int(i) for i, prev, expected, unsealed in rows if prev != expected or unsealed]


def spool(settings: Settings, actor: str, action: str, outcome: str, detail: dict[str, Any]) -> Path:
    """Keep an attempt's row on disk when the warehouse cannot take it now."""
    settings.audit_spool_dir.mkdir(parents=True, exist_ok=True)
    record = {
        "logged_at": datetime.now().isoformat(),
        "actor": actor,
        "action": action,
        "outcome": outcome,
        "detail": detail,
    }
    final = settings.audit_spool_dir / f"{datetime.now():%Y%m%dT%H%M%S%f}-{uuid.uuid4().hex}.json"
    # Durable before the caller goes on: a spooled row is the only record of its attempt.
    write_atomic(final, json.dumps(record, ensure_ascii=False, default=str).encode("utf-8"))
    return final


def import_spool(con: duckdb.DuckDBPyConnection, settings: Settings) -> int:
    """Move spooled rows into the log, oldest first; returns how many."""
    if not settings.audit_spool_dir.is_dir():
        return 0
    paths = sorted(settings.audit_spool_dir.glob("*.json"))
    for path in paths:
        record = json.loads(path.read_text(encoding="utf-8"))
        record["detail"]["spool_id"] = path.stem
        seen = con.execute("SELECT count(*) FROM audit_log WHERE detail->>'spool_id' = ?", [path.stem]).fetchone()
        if seen and seen[0]:  # imported before a crash kept us from removing the file
            path.unlink()
            continue
        with transaction(con):
            append(
                con,
                record["actor"],
                record["action"],
                record["outcome"],
                record["detail"],
                datetime.fromisoformat(record["logged_at"]),
            )
        path.unlink()
    return len(paths)


def pending(settings: Settings) -> list[Path]:
    """Spooled rows not yet in the log, oldest first."""
    if not settings.audit_spool_dir.is_dir():
        return []
    return sorted(settings.audit_spool_dir.glob("*.json"))
