"""Reviewing submissions in the warehouse: submit for approval, return, approve, restore.

Each function runs on the writer's connection, in one transaction, and writes
exactly one audit row. Approving and restoring change what is public, so each
makes a new data version (etl.publish.versions.record_version) and serves its snapshot; submitting
and returning do not. Every function takes `recorded` (a row of the log) so that
etl.ops.rebuild repeats it with the same ids and times.

| action  | from -> to                                   | audit detail                                  |
| ------- | -------------------------------------------- | --------------------------------------------- |
| submit  | the newest version, a draft -> pending       | org_code, period, version, id                 |
| return  | pending -> returned (with the comment)       | org_code, period, version, id, comment        |
| approve | pending -> published (data version N)       | version, note, published [org_code, period,   |
|         |                                              | version]                                      |
| restore | a new version with an earlier one's cells,   | version, note, published [...], restored      |
|         | published at once (data version N)           | {org_code, period, from_version, version, id, |
|         |                                              | rows}                                         |

Role checks are not made here: etl/services/workflow.py checks the caller and calls these.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import duckdb

from etl.errors import InputError, NotFoundError
from etl.publish import versions as publish
from etl.sqlfiles import transaction
from etl.warehouse import audit


def _one(con: duckdb.DuckDBPyConnection, sql: str, params: list[Any]) -> tuple[Any, ...] | None:
    """The first row, fetched whole (an unfinished result would block the next statement)."""
    rows = con.execute(sql, params).fetchall()
    return rows[0] if rows else None


def _newest(con: duckdb.DuckDBPyConnection, org: str, period: str) -> tuple[int, int, str] | None:
    """(id, version, status) of the pair's newest version."""
    row = _one(
        con,
        "SELECT id, version, status FROM submission WHERE org_code = ? AND period = ? ORDER BY version DESC LIMIT 1",
        [org, period],
    )
    return (int(row[0]), int(row[1]), str(row[2])) if row else None


def _pending(con: duckdb.DuckDBPyConnection, org: str, period: str) -> tuple[int, int]:
    row = _one(
        con,
        "SELECT id, version FROM submission WHERE org_code = ? AND period = ? AND status = 'pending' "
        "ORDER BY version DESC LIMIT 1",
        [org, period],
    )
    if row is None:
        raise InputError("workspace.errors.nothing_pending", org=org, period=period)
    return int(row[0]), int(row[1])


def _check_replay(recorded: audit.Recorded | None, key: str, value: Any) -> None:
    if recorded is not None and recorded.detail.get(key) != value:
        raise RuntimeError(f"replayed {recorded.action} gave {key}={value}, the log says {recorded.detail.get(key)}")


def _write(con: duckdb.DuckDBPyConnection, statements: list[tuple[str, list[Any]]], row: tuple[Any, ...]) -> None:
    """Run the updates and the audit row in one transaction. `row`: (actor, action, detail, recorded)."""
    actor, action, detail, recorded = row
    with transaction(con):
        for sql, params in statements:
            con.execute(sql, params)
        if recorded is not None:
            audit.append_recorded(con, recorded)
        else:
            audit.append(con, actor, action, "ok", detail)


def submit(
    con: duckdb.DuckDBPyConnection, actor: str, org: str, period: str, recorded: audit.Recorded | None = None
) -> dict[str, Any]:
    """The pair's newest version, a draft, waits for approval; an older version waiting is replaced."""
    newest = _newest(con, org, period)
    if newest is None or newest[2] != "draft":
        raise InputError("workspace.errors.nothing_to_submit", org=org, period=period)
    submission_id, version, _ = newest
    _check_replay(recorded, "version", version)
    detail = {"org_code": org, "period": period, "version": version, "id": submission_id}
    replaced = "UPDATE submission SET status = 'discarded' WHERE org_code = ? AND period = ? AND status = 'pending'"
    statements: list[tuple[str, list[Any]]] = [
        (replaced, [org, period]),
        ("UPDATE submission SET status = 'pending' WHERE id = ?", [submission_id]),
    ]
    _write(con, statements, (actor, "submit", detail, recorded))
    return detail


def return_pending(
    con: duckdb.DuckDBPyConnection,
    actor: str,
    org: str,
    period: str,
    comment: str,
    recorded: audit.Recorded | None = None,
) -> dict[str, Any]:
    """Send a version waiting for approval back to its organisation, with the reason."""
    text = comment.strip()
    if not text:
        raise InputError("workspace.errors.comment_required")
    submission_id, version = _pending(con, org, period)
    _check_replay(recorded, "version", version)
    detail = {"org_code": org, "period": period, "version": version, "id": submission_id, "comment": text}
    statements = [("UPDATE submission SET status = 'returned', comment = ? WHERE id = ?", [text, submission_id])]
    _write(con, statements, (actor, "return", detail, recorded))
    return detail


def _make_public(
    con: duckdb.DuckDBPyConnection, version: int, org: str, period: str, submission: tuple[int, int]
) -> None:
    """Inside a transaction: the chosen version is published at `version`; the one it replaces ends
    there; unpublished versions older than it are discarded (newer ones stay as they are)."""
    submission_id, number = submission
    con.execute(
        "UPDATE submission SET status = 'superseded', ended_version = ? "
        "WHERE org_code = ? AND period = ? AND status = 'published'",
        [version, org, period],
    )
    con.execute(
        "UPDATE submission SET status = 'discarded' WHERE org_code = ? AND period = ? "
        "AND status IN ('draft', 'pending') AND version < ? AND id <> ?",
        [org, period, number, submission_id],
    )
    con.execute(
        "UPDATE submission SET status = 'published', published_version = ? WHERE id = ?", [version, submission_id]
    )


def approve(
    con: duckdb.DuckDBPyConnection,
    settings: Any,
    actor: str,
    org: str,
    period: str,
    note: str | None = None,
    recorded: audit.Recorded | None = None,
) -> int:
    """Publish the version waiting for approval: a new data version."""
    submission = _pending(con, org, period)
    with transaction(con):
        version = publish.next_version(con)
        _make_public(con, version, org, period, submission)
        summary = {"published": [{"org_code": org, "period": period, "version": submission[1]}]}
        publish.record_version(con, version, actor, "approve", note, summary, recorded)
    publish.serve(con, settings, version)
    return version


def restore(
    con: duckdb.DuckDBPyConnection,
    settings: Any,
    actor: str,
    org: str,
    period: str,
    from_version: int,
    note: str | None = None,
    recorded: audit.Recorded | None = None,
) -> tuple[int, int]:
    """Publish an earlier version's cells again as a new version (history kept); (data version, new version)."""
    source = _one(
        con,
        "SELECT id, status, file_sha256, row_count FROM submission WHERE org_code = ? AND period = ? AND version = ?",
        [org, period, from_version],
    )
    if source is None:
        raise NotFoundError("workspace.errors.no_such_version", org=org, period=period, version=str(from_version))
    source_id, status, sha256, rows = source
    if status in ("published", "draft", "pending"):
        raise InputError(f"workspace.errors.restore_{status}", org=org, period=period, version=str(from_version))
    if con.execute(
        "SELECT count(*) FROM submission WHERE org_code = ? AND period = ? AND status = 'pending'", [org, period]
    ).fetchall()[0][0]:
        raise InputError("workspace.errors.restore_while_pending", org=org, period=period)
    at = recorded.logged_at if recorded else datetime.now()
    with transaction(con):
        version = publish.next_version(con)
        newest = _newest(con, org, period)
        number = (newest[1] if newest else 0) + 1
        given = recorded.detail["restored"]["id"] if recorded else None
        row = _one(
            con,
            "INSERT INTO submission (id, org_code, period, version, status, file_sha256, loaded_by, loaded_at, "
            "row_count, comment) VALUES (coalesce(?, nextval('submission_id_seq')), ?, ?, ?, 'draft', ?, ?, ?, ?, ?) "
            "RETURNING id",
            [given, org, period, number, sha256, actor, at, rows, note],
        )
        assert row is not None
        new_id = int(row[0])
        con.execute(
            "INSERT INTO fact SELECT ?, measure, dim1, code1, dim2, code2, value, flag "
            "FROM fact WHERE submission_id = ?",
            [new_id, source_id],
        )
        _make_public(con, version, org, period, (new_id, number))
        restored = {"org_code": org, "period": period, "from_version": from_version, "version": number}
        summary = {
            "published": [{"org_code": org, "period": period, "version": number}],
            "restored": {**restored, "id": new_id, "rows": int(rows)},
        }
        publish.record_version(con, version, actor, "restore", note, summary, recorded, at=at)
    publish.serve(con, settings, version)
    return version, number
