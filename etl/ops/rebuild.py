"""Rebuild the warehouse from data/raw and the audit log, and prove it gives identical answers.

The audit log is the record of everything that changed the warehouse. Each row
that changed data is replayed, in log order, into a fresh warehouse in its own
data folder; every other row (rejected, unchanged and dry-run loads, busy
attempts) is copied as it is. Every row keeps its id, time, actor and detail, so
the rebuilt log is the same log, hash chain and all.

What each replayed row must record (and does):

| action, outcome  | detail used                                                                |
| ---------------- | -------------------------------------------------------------------------- |
| load, loaded     | sha256 (the raw file), file_name, kind, size_bytes, checked_on (the day the |
|                  | rules were checked against), submissions [org_code, period, version, id,   |
|                  | rows, value_sum]                                                           |
| publish, ok      | version, note, published [org_code, period, version]                       |
| withdraw, ok     | version, note, withdrawn [org_code, period, version]                       |
| org_add, ok      | org, name_fi/sv/en, org_type, active_from, active_to                       |
| org_deactivate   | org, active_to                                                             |
| dataset, ok      | dataset (the demo marker)                                                  |
| publish_context  | version, note (the context as the replayed notes made it)                  |
| note_save, ...   | the whole note or series change (etl/warehouse/context.py)                 |
| submit, return,  | see etl/warehouse/review.py (org_code, period, version; the comment; the data        |
| approve, restore | version and pairs; the restored version and its new id)                    |

Times come from the log (submission.loaded_at, data_version.published_at and
organisation.created_at are the time of their audit row), so the rebuilt tables
equal the old ones. The years the original protected in the last day (etl.disclosure.reuse)
are copied into the new folder first: a replayed publication whose inputs are the same (the
key covers every input) reads its protection instead of computing it again. The check compares
every warehouse table and every table of every published snapshot (all but meta.built_at, the
time a snapshot file was made).
"""

from __future__ import annotations

import dataclasses
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import duckdb

from etl.config import Settings
from etl.errors import NotFoundError, TilannekuvaError
from etl.intake.problems import errors
from etl.publish import snapshots
from etl.publish import versions as publish
from etl.sqlfiles import transaction
from etl.warehouse import audit, context, organisations, review
from etl.warehouse.load import inspect_bytes, raw_path, validate_inspected
from etl.warehouse.submissions import insert_submissions
from etl.warehouse.writer import writer

WAREHOUSE_TABLES = (
    "organisation",
    "raw_file",
    "submission",
    "fact",
    "data_version",
    "audit_log",
    "audit_seal",
    *context.CONTEXT_TABLES,
)
SKIP_COLUMNS = {"meta": ("built_at",)}  # when a snapshot file was written, not what it says


class RebuildError(TilannekuvaError):
    """A row of the log cannot be replayed as it was recorded."""


@dataclass
class Report:
    folder: Path  # the rebuilt data folder
    rows: int
    versions: int = 0
    tables: int = 0
    differences: list[str] = field(default_factory=list)
    replaced_by: Path | None = None  # where the old warehouse went, when it was replaced

    @property
    def identical(self) -> bool:
        return not self.differences


def rebuild(
    settings: Settings,
    folder: Path | None = None,
    replace: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> Report:
    """Replay the log into `folder` (a new data folder), compare, and optionally take its place."""
    if not settings.warehouse_path.is_file():
        raise NotFoundError("rebuild.no_warehouse")
    folder = folder or settings.data_dir / "rebuilt" / datetime.now().strftime("%Y%m%dT%H%M%S")
    fresh = dataclasses.replace(settings, data_dir=folder)
    if settings.protected_years_dir.is_dir():
        shutil.copytree(settings.protected_years_dir, fresh.protected_years_dir, dirs_exist_ok=True)
    with writer(settings, what="rebuild") as original:
        log = audit.read_log(original)
        with writer(fresh, what="rebuild") as con:
            for done, row in enumerate(log, start=1):
                replay(con, fresh, settings, row)
                if progress and (done % 50 == 0 or done == len(log)):
                    progress(done, len(log))
            _advance(con, "audit_id_seq", "audit_log")
            _advance(con, "submission_id_seq", "submission")
            con.execute("CHECKPOINT")
        report = Report(folder, len(log))
        report.differences += compare_warehouses(original, fresh.warehouse_path)
        report.tables += len(WAREHOUSE_TABLES)
        versions, tables, differences = compare_snapshots(settings, fresh)
        report.versions, report.tables = versions, report.tables + tables
        report.differences += differences
        if replace:
            original.close()
            report.replaced_by = _swap(settings, fresh)
    return report


def replay(con: duckdb.DuckDBPyConnection, fresh: Settings, original: Settings, row: audit.Recorded) -> None:
    try:
        _replay(con, fresh, original, row)
    except KeyError as missing:  # a row written before its action recorded what a rebuild needs
        raise RebuildError("rebuild.cannot_replay", id=str(row.id), action=row.action, missing=str(missing)) from None


def _replay(con: duckdb.DuckDBPyConnection, fresh: Settings, original: Settings, row: audit.Recorded) -> None:
    detail = row.detail
    if row.outcome == "loaded" and row.action == "load":
        _replay_load(con, fresh, original, row)
    elif (row.action, row.outcome) == ("publish", "ok"):
        keys = [(p["org_code"], p["period"]) for p in detail["published"]]
        publish.publish_drafts(con, fresh, row.actor, keys=keys, note=detail.get("note"), recorded=row)
    elif (row.action, row.outcome) == ("publish_context", "ok"):
        publish.publish_context(con, fresh, row.actor, detail.get("note"), recorded=row)
    elif (row.action, row.outcome) == ("withdraw", "ok"):
        gone = detail["withdrawn"][0]
        publish.withdraw(con, fresh, row.actor, gone["org_code"], gone["period"], detail.get("note"), recorded=row)
    elif (row.action, row.outcome) == ("org_add", "ok"):
        organisations.add(con, organisations.from_record(detail), row.actor, recorded=row)
    elif (row.action, row.outcome) == ("org_deactivate", "ok"):
        until = date.fromisoformat(detail["active_to"])
        organisations.deactivate(con, detail["org"], until, row.actor, recorded=row)
    elif row.outcome == "ok" and row.action in ("submit", "return", "approve", "restore"):
        _replay_review(con, fresh, row)
    elif (row.action, row.outcome) == ("dataset", "ok"):
        from etl.demo.build import mark_dataset

        mark_dataset(con, detail["dataset"], row.actor, recorded=row)
    elif not context.replay(con, row):
        _copy(con, row)


def _replay_review(con: duckdb.DuckDBPyConnection, fresh: Settings, row: audit.Recorded) -> None:
    detail = row.detail
    if row.action == "submit":
        review.submit(con, row.actor, detail["org_code"], detail["period"], recorded=row)
    elif row.action == "return":
        review.return_pending(con, row.actor, detail["org_code"], detail["period"], detail["comment"], recorded=row)
    elif row.action == "approve":
        pair = detail["published"][0]
        review.approve(con, fresh, row.actor, pair["org_code"], pair["period"], detail.get("note"), recorded=row)
    else:
        done = detail["restored"]
        review.restore(
            con, fresh, row.actor, done["org_code"], done["period"], int(done["from_version"]), detail.get("note"), row
        )


def _copy(con: duckdb.DuckDBPyConnection, row: audit.Recorded) -> None:
    with transaction(con):
        audit.append_recorded(con, row)


def _replay_load(con: duckdb.DuckDBPyConnection, fresh: Settings, original: Settings, row: audit.Recorded) -> None:
    detail = row.detail
    path = raw_path(original, detail["sha256"])
    if path is None:
        raise RebuildError("rebuild.missing_raw", sha256=detail["sha256"], file=detail["file_name"])
    data = path.read_bytes()
    inspected = inspect_bytes(data, original)
    cells, problems = validate_inspected(con, inspected, date.fromisoformat(detail["checked_on"]))
    if errors(problems):
        raise RebuildError("rebuild.mismatch", file=detail["file_name"], got="rejected", expected="loaded")
    expected = detail["submissions"]
    pairs = [(s["org_code"], s["period"]) for s in expected]
    ids = {(s["org_code"], s["period"]): int(s["id"]) for s in expected}
    with transaction(con):
        con.execute(
            "INSERT INTO raw_file VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
            [detail["sha256"], detail["file_name"], detail["kind"], detail["size_bytes"], row.logged_at],
        )
        got = insert_submissions(con, cells, pairs, detail["sha256"], row.actor, row.logged_at, ids)
        if got != expected:
            raise RebuildError("rebuild.mismatch", file=detail["file_name"], got=str(got), expected=str(expected))
        audit.append_recorded(con, row)


def _advance(con: duckdb.DuckDBPyConnection, sequence: str, table: str) -> None:
    """Move a sequence past the ids the replay wrote explicitly."""
    top = con.execute(f"SELECT coalesce(max(id), 0) FROM {table}").fetchall()[0]
    now = con.execute(f"SELECT nextval('{sequence}')").fetchall()[0]
    assert top is not None and now is not None
    if int(now[0]) <= int(top[0]):
        con.execute(f"SELECT max(nextval('{sequence}')) FROM range(?)", [int(top[0]) - int(now[0]) + 1]).fetchall()


def _columns(con: duckdb.DuckDBPyConnection, database: str, table: str) -> list[str]:
    rows = con.execute(
        "SELECT column_name FROM duckdb_columns() WHERE database_name = ? AND table_name = ? ORDER BY column_index",
        [database, table],
    ).fetchall()
    skip = SKIP_COLUMNS.get(table, ())
    return [str(name) for (name,) in rows if name not in skip]


def _differs(con: duckdb.DuckDBPyConnection, left: str, right: str, table: str) -> int:
    """Rows in one copy of a table and not in the other (as multisets)."""
    columns = ", ".join(f'"{c}"' for c in _columns(con, left, table))
    a, b = f"SELECT {columns} FROM {left}.{table}", f"SELECT {columns} FROM {right}.{table}"
    row = con.execute(f"SELECT count(*) FROM (({a} EXCEPT ALL {b}) UNION ALL ({b} EXCEPT ALL {a}))").fetchall()[0]
    return int(row[0]) if row else 0


def _attach(con: duckdb.DuckDBPyConnection, path: Path, name: str) -> None:
    literal = "'" + str(path).replace("'", "''") + "'"
    con.execute(f"ATTACH {literal} AS {name} (READ_ONLY)")


def compare_warehouses(original: duckdb.DuckDBPyConnection, rebuilt: Path) -> list[str]:
    database = original.execute("SELECT current_database()").fetchall()[0]
    assert database is not None
    _attach(original, rebuilt, "rebuilt")
    try:
        found = []
        for table in WAREHOUSE_TABLES:
            count = _differs(original, str(database[0]), "rebuilt", table)
            if count:
                found.append(f"warehouse.{table}: {count} rows differ")
        return found
    finally:
        original.execute("DETACH rebuilt")


def compare_snapshots(original: Settings, rebuilt: Settings) -> tuple[int, int, list[str]]:
    """(versions compared, tables compared, differences) over every published snapshot."""
    old_versions, new_versions = snapshots.list_versions(original), snapshots.list_versions(rebuilt)
    found = [] if old_versions == new_versions else [f"snapshot versions {old_versions} vs {new_versions}"]
    tables = 0
    con = duckdb.connect()
    try:
        for version in old_versions:
            if version not in new_versions:
                continue
            _attach(con, snapshots.snapshot_path(original, version), "old")
            _attach(con, snapshots.snapshot_path(rebuilt, version), "new")
            try:
                names = sorted(
                    str(n)
                    for (n,) in con.execute(
                        "SELECT table_name FROM duckdb_tables() WHERE database_name = 'old'"
                    ).fetchall()
                )
                new_names = sorted(
                    str(n)
                    for (n,) in con.execute(
                        "SELECT table_name FROM duckdb_tables() WHERE database_name = 'new'"
                    ).fetchall()
                )
                if names != new_names:
                    found.append(f"v{version}: tables {names} vs {new_names}")
                for table in names:
                    tables += 1
                    count = _differs(con, "old", "new", table) if table in new_names else -1
                    if count:
                        found.append(f"v{version}.{table}: {count} rows differ")
            finally:
                con.execute("DETACH old")
                con.execute("DETACH new")
    finally:
        con.close()
    return len(old_versions), tables, found


def _swap(settings: Settings, fresh: Settings) -> Path:
    """Put the rebuilt warehouse in place; the old one stays beside it."""
    kept = settings.warehouse_path.with_name(f"warehouse.{datetime.now():%Y%m%dT%H%M%S}.replaced.duckdb")
    os.replace(settings.warehouse_path, kept)
    os.replace(fresh.warehouse_path, settings.warehouse_path)
    return kept
