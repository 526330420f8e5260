"""Published snapshots: one read-only DuckDB file (plus Parquet copies) per data version.

A snapshot is built in a temporary folder, renamed into place, and only then
named in CURRENT.json (replaced atomically). A kill at any moment leaves the
previous snapshot and pointer intact; the next writer finishes the job (`repair`).
"""

from __future__ import annotations

import json
import os
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb

from etl import disclosure
from etl.config import Settings
from etl.durable import fsync_path, write_atomic
from etl.errors import NotFoundError
from etl.sqlfiles import open_snapshot, run_sql_file

SNAPSHOT_SQL_DIR = Path(__file__).parent.parent / "sql" / "snapshot"
DB_NAME = "tilannekuva.duckdb"


@dataclass(frozen=True)
class SnapshotRef:
    version: int
    path: Path  # the snapshot's DuckDB file
    published_at: datetime


def version_dir(settings: Settings, version: int) -> Path:
    return settings.snapshots_dir / f"v{version:05d}"


def snapshot_path(settings: Settings, version: int) -> Path:
    return version_dir(settings, version) / DB_NAME


def list_versions(settings: Settings) -> list[int]:
    """Versions with a complete snapshot on disk, oldest first."""
    if not settings.snapshots_dir.is_dir():
        return []
    versions = []
    for child in settings.snapshots_dir.iterdir():
        if child.name.startswith("v") and child.name[1:].isdigit() and (child / DB_NAME).is_file():
            versions.append(int(child.name[1:]))
    return sorted(versions)


def current(settings: Settings) -> SnapshotRef | None:
    """The snapshot the dashboard serves now, or None before the first publication."""
    try:
        pointer = json.loads(settings.current_pointer.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    version = int(pointer["version"])
    return SnapshotRef(version, snapshot_path(settings, version), datetime.fromisoformat(pointer["published_at"]))


def get(settings: Settings, version: int) -> SnapshotRef:
    """A retained snapshot by version (for permalinks and figure ids)."""
    path = snapshot_path(settings, version)
    if not path.is_file():
        raise NotFoundError("snapshot.not_found", version=version)
    with open_snapshot(path) as con:
        row = con.execute("SELECT published_at FROM meta").fetchone()
    assert row is not None
    return SnapshotRef(version, path, row[0])


def _sql_path_literal(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def build(con: duckdb.DuckDBPyConnection, settings: Settings, version: int) -> Path:
    """Write the snapshot of `version` from the warehouse; returns its DuckDB file."""
    final = version_dir(settings, version)
    if (final / DB_NAME).is_file():
        return final / DB_NAME
    settings.snapshots_dir.mkdir(parents=True, exist_ok=True)
    building = settings.snapshots_dir / f".building-v{version:05d}-{uuid.uuid4().hex[:8]}"
    building.mkdir()
    try:
        con.execute(f"ATTACH {_sql_path_literal(building / DB_NAME)} AS snap")
        try:
            for sql_file in sorted(SNAPSHOT_SQL_DIR.glob("*.sql")):
                run_sql_file(con, sql_file, {"version": version})
            # Protected tables (DATA-CONTRACT 8): what the dashboard may show, built from the
            # models above and from what the previous version hid.
            disclosure.write_protected(
                con,
                settings.disclosure_threshold,
                earlier(settings, version),
                settings.protected_years_dir,
                settings.protect_workers,
            )
            tables = [
                row[0]
                for row in con.execute("SELECT table_name FROM duckdb_tables() WHERE database_name = 'snap'").fetchall()
            ]
            for table in tables:
                target = _sql_path_literal(building / f"{table}.parquet")
                con.execute(f"COPY snap.{table} TO {target} (FORMAT parquet)")
        finally:
            con.execute("DETACH snap")
        for child in building.iterdir():
            with child.open("rb") as handle:
                os.fsync(handle.fileno())
        fsync_path(building)
        os.rename(building, final)
        fsync_path(settings.snapshots_dir)
    finally:
        shutil.rmtree(building, ignore_errors=True)
    return final / DB_NAME


@contextmanager
def attached(con: duckdb.DuckDBPyConnection, settings: Settings, version: int, name: str) -> Iterator[str]:
    """A published snapshot attached read-only to `con` as `name` (to compare the warehouse with it)."""
    con.execute(f"ATTACH {_sql_path_literal(snapshot_path(settings, version))} AS {name} (READ_ONLY)")
    try:
        yield name
    finally:
        con.execute(f"DETACH {name}")


def earlier(settings: Settings, version: int) -> list[Path]:
    """The retained snapshots before `version`, oldest first: an attacker reads them all (DATA-CONTRACT 8.2)."""
    return [snapshot_path(settings, v) for v in list_versions(settings) if v < version]


def switch(settings: Settings, version: int) -> None:
    """Point the dashboard at `version`, atomically."""
    ref = get(settings, version)
    pointer = {"version": version, "published_at": ref.published_at.isoformat()}
    write_atomic(settings.current_pointer, json.dumps(pointer).encode("utf-8"))


def latest_version(con: duckdb.DuckDBPyConnection) -> int | None:
    row = con.execute("SELECT max(version) FROM data_version").fetchone()
    return int(row[0]) if row and row[0] is not None else None


def repair(con: duckdb.DuckDBPyConnection, settings: Settings) -> int | None:
    """Finish a publication a kill interrupted: build and serve the latest version."""
    for leftover in settings.snapshots_dir.glob(".building-*"):
        shutil.rmtree(leftover, ignore_errors=True)
    latest = latest_version(con)
    if latest is None:
        return None
    served = current(settings)
    if served is None or served.version != latest or not served.path.is_file():
        build(con, settings, latest)
        switch(settings, latest)
    return latest
