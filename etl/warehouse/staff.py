"""The staff read model: a DuckDB file the coordinator's pages read without the writer lock.

DuckDB lets no other process read a file while one writes it, and a load can hold
the warehouse for a while. So after every writer session that changed something
(its last audit id moved), `etl.warehouse.writer.writer` exports what the workspace
shows -- the register, every submission version with who, when and which file,
raw file metadata, data versions and the audit log -- to
data/processed/staff/staff.duckdb: built in a temporary file beside it and put in
place with os.replace, so a reader sees the old file or the new one, never half.

The file holds no figures, but it names who uploaded what and when, and the whole
audit log: it is never served to members. Only staff pages open it (read-only,
hardened like a snapshot); members and reporters get their own organisation's
submission history through `submissions()`, which checks the caller itself.
Audit rows still in the spool (etl.warehouse.audit.spool, not yet moved into the log) are
shown too, marked as pending.
"""

from __future__ import annotations

import json
import logging
import os
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from etl.config import Settings
from etl.durable import fsync_path
from etl.errors import NotFoundError
from etl.publish import snapshots
from etl.services.access import ORG_PEOPLE, STAFF, AccessDenied, Caller, require
from etl.sqlfiles import read_sql, run_sql_file
from etl.warehouse import audit

log = logging.getLogger(__name__)
SQL_DIR = Path(__file__).parent.parent / "sql" / "staff"
FILE_NAME = "staff.duckdb"
AUDIT_COLUMNS = ["id", "logged_at", "actor", "action", "outcome", "detail", "pending"]


def staff_dir(settings: Settings) -> Path:
    return settings.processed_dir / "staff"


def staff_path(settings: Settings) -> Path:
    return staff_dir(settings) / FILE_NAME


# Export (on the writer's connection) ---------------------------------------------------


def last_audit_id(con: duckdb.DuckDBPyConnection) -> int | None:
    row = con.execute("SELECT max(id) FROM audit_log").fetchall()[0]
    return int(row[0]) if row and row[0] is not None else None


def export(con: duckdb.DuckDBPyConnection, settings: Settings) -> Path:
    """Write the staff read model from the warehouse (the caller holds the writer)."""
    folder = staff_dir(settings)
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    final = folder / FILE_NAME
    temporary = folder / f".{FILE_NAME}.{uuid.uuid4().hex[:8]}.tmp"
    literal = "'" + str(temporary).replace("'", "''") + "'"
    try:
        con.execute(f"ATTACH {literal} AS staff")
        try:
            run_sql_file(con, SQL_DIR / "export.sql")
        finally:
            con.execute("DETACH staff")  # closes the file, everything checkpointed into it
        os.chmod(temporary, 0o600)
        fsync_path(temporary)
        os.replace(temporary, final)
        fsync_path(folder)
    finally:
        for leftover in (temporary, Path(f"{temporary}.wal")):
            leftover.unlink(missing_ok=True)
    return final


def refresh_after_write(con: duckdb.DuckDBPyConnection, settings: Settings, before: int | None) -> Path | None:
    """Export when the writer session changed something (or there is no file yet); never fail the write."""
    try:
        if staff_path(settings).is_file() and last_audit_id(con) == before:
            return None
        return export(con, settings)
    except Exception:  # the data change is committed; the next write exports again
        log.exception("could not export the staff read model")
        return None


# Reading ---------------------------------------------------------------------------


@contextmanager
def _open(settings: Settings) -> Iterator[duckdb.DuckDBPyConnection]:
    path = staff_path(settings)
    if not path.is_file():
        raise NotFoundError("workspace.staff_missing")
    con = snapshots.open_snapshot(path)  # read-only, no file or network access beyond it
    try:
        yield con
    finally:
        con.close()


def _query(settings: Settings, name: str, **params: Any) -> pd.DataFrame:
    with _open(settings) as con:
        return con.execute(read_sql(SQL_DIR / f"{name}.sql"), params).df()


def available(settings: Settings) -> bool:
    return staff_path(settings).is_file()


def exported_at(settings: Settings, caller: Caller | None) -> datetime | None:
    require(caller, *STAFF, action="staff_read")
    if not available(settings):
        return None
    meta = _query(settings, "meta")
    return None if meta.empty else meta.iloc[0]["exported_at"].to_pydatetime()


def _own_org(caller: Caller | None, org: str | None, action: str) -> str | None:
    """The organisation a caller may read: any (None = all) for staff, their own for members."""
    if caller is not None and caller.role in STAFF:
        return org
    who = require(caller, *ORG_PEOPLE, action=action)
    if org is not None and org != who.org_code:
        raise AccessDenied(action)
    return who.org_code


def submissions(settings: Settings, caller: Caller | None, org: str | None = None) -> pd.DataFrame:
    """Every version of every submission (staff), or of the caller's own organisation (members)."""
    return _query(settings, "submissions", org=_own_org(caller, org, "submission_history"))


def organisations(settings: Settings, caller: Caller | None) -> pd.DataFrame:
    """The register (staff), or the caller's own organisation (members)."""
    own = _own_org(caller, None, "register")
    frame = _query(settings, "organisations")
    return frame if own is None else frame[frame["code"] == own].reset_index(drop=True)


def context(settings: Settings, caller: Caller | None) -> dict[str, pd.DataFrame]:
    """Period notes, reference series and their values as staff left them (staff only)."""
    require(caller, *STAFF, action="staff_read")
    try:
        return {name: _query(settings, name) for name in ("period_notes", "reference_series", "reference_values")}
    except duckdb.CatalogException:  # a read model exported before it held the context: the next write renews it
        raise NotFoundError("workspace.staff_missing") from None


# The audit log -----------------------------------------------------------------------


@dataclass(frozen=True)
class AuditFilter:
    start: datetime | None = None
    end: datetime | None = None  # exclusive
    actors: Sequence[str] | None = None
    actions: Sequence[str] | None = None
    outcomes: Sequence[str] | None = None

    def keeps(self, row: dict[str, Any]) -> bool:
        at = row["logged_at"]
        return (
            (self.start is None or at >= self.start)
            and (self.end is None or at < self.end)
            and (not self.actors or row["actor"] in self.actors)
            and (not self.actions or row["action"] in self.actions)
            and (not self.outcomes or row["outcome"] in self.outcomes)
        )


def pending_rows(settings: Settings) -> list[dict[str, Any]]:
    """Spooled audit rows not yet in the log (oldest first)."""
    rows = []
    for path in audit.pending(settings):
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):  # moved into the log (or half-written) while we looked
            continue
        rows.append(
            {
                "id": None,
                "logged_at": datetime.fromisoformat(record["logged_at"]),
                "actor": str(record["actor"]),
                "action": str(record["action"]),
                "outcome": str(record["outcome"]),
                "detail": json.dumps(record.get("detail", {}), ensure_ascii=False, sort_keys=True),
                "pending": True,
            }
        )
    return rows


def audit_log(settings: Settings, caller: Caller | None, wanted: AuditFilter | None = None) -> pd.DataFrame:
    """The log as of the last export, newest first, with spooled rows (pending=True) on top."""
    require(caller, *STAFF, action="audit_read")
    wanted = wanted or AuditFilter()
    logged = pd.DataFrame(columns=AUDIT_COLUMNS[:-1])
    if available(settings):
        logged = _query(
            settings,
            "audit_log",
            start=wanted.start,
            end=wanted.end,
            actors=list(wanted.actors) if wanted.actors else None,
            actions=list(wanted.actions) if wanted.actions else None,
            outcomes=list(wanted.outcomes) if wanted.outcomes else None,
        )
    logged["pending"] = False
    spooled = [row for row in reversed(pending_rows(settings)) if wanted.keeps(row)]
    frame = pd.concat([pd.DataFrame(spooled, columns=AUDIT_COLUMNS), logged], ignore_index=True)
    frame["id"] = frame["id"].astype("Int64")
    frame["pending"] = frame["pending"].astype(bool)
    return frame[AUDIT_COLUMNS]


def audit_choices(settings: Settings, caller: Caller | None) -> dict[str, list[str]]:
    """The actors, actions and outcomes the log (and the spool) holds."""
    require(caller, *STAFF, action="audit_read")
    found: dict[str, set[str]] = {"actor": set(), "action": set(), "outcome": set()}
    if available(settings):
        for field, value in _query(settings, "audit_choices").itertuples(index=False):
            found[str(field)].add(str(value))
    for row in pending_rows(settings):
        for field in found:
            found[field].add(row[field])
    return {field: sorted(values) for field, values in found.items()}


# Where each (organisation, period) stands ------------------------------------------------

OPEN = ("draft", "pending", "returned")  # a newer version than the published one, not yet public
RECEIVED = (*OPEN, "published")  # something came for the period (a pair_states state)


def pair_states(versions: pd.DataFrame) -> pd.DataFrame:
    """One row per (organisation, period): its state and the versions that make it.

    state: pending (waiting for approval), returned, draft -- a version newer than
    the published one -- else published, else withdrawn, else missing (only
    discarded versions). `published` is the published version, if any.
    """
    rows = []
    for (org, period), group in versions.groupby(["org_code", "period"], sort=True):
        group = group.sort_values("version", ascending=False)
        live = group[group["status"] == "published"]
        published = int(live["version"].iloc[0]) if not live.empty else None
        newer = group[group["status"].isin(OPEN) & (group["version"] > (published or 0))]
        if not newer.empty:
            state, version = str(newer["status"].iloc[0]), int(newer["version"].iloc[0])
        elif published is not None:
            state, version = "published", published
        elif (group["status"] == "withdrawn").any():
            state, version = "withdrawn", int(group.loc[group["status"] == "withdrawn", "version"].iloc[0])
        else:
            state, version = "missing", int(group["version"].iloc[0])
        rows.append((org, period, state, version, published))
    return pd.DataFrame(rows, columns=["org_code", "period", "state", "version", "published"]).astype(
        {"published": "Int64"}
    )
