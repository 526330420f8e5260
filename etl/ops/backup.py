"""Backup and restore: a consistent copy of everything the platform keeps, checked by hashes.

A backup holds the warehouse, every snapshot, CURRENT.json, data/raw/, the audit
spool and the account store, plus MANIFEST.json with each file's size and SHA-256.
It is taken under the writer lock (no load or publication runs meanwhile) after a
checkpoint, written to a hidden `.partial` folder and renamed into place only when
complete: a folder without a manifest is not a backup.

A restore checks every hash before it touches anything, copies into a hidden
staging folder beside the data folder, checks the copies again, and only then swaps
the staging folder in with a rename. The data folder is therefore either the old
one or the complete restored one, never half of each. A replaced data folder is
kept aside (`<name>.before-restore-<time>`), not deleted.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import Any

from etl.config import Settings
from etl.durable import fsync_path, write_atomic
from etl.errors import InputError, NotFoundError
from etl.publish import snapshots
from etl.warehouse import audit
from etl.warehouse.writer import connect_rw, flush_audit, writer_lock

MANIFEST = "MANIFEST.json"
FORMAT = "tilannekuva-backup/1"
ACCOUNTS = "processed/accounts.sqlite3"
CHUNK = 1 << 20


@dataclass(frozen=True)
class Entry:
    path: str  # relative to the data folder, with forward slashes
    size: int
    sha256: str


@dataclass(frozen=True)
class Manifest:
    created_at: str
    created_by: str
    data_version: int | None
    files: tuple[Entry, ...]

    @property
    def total_bytes(self) -> int:
        return sum(e.size for e in self.files)

    def to_json(self) -> str:
        body = {
            "format": FORMAT,
            "created_at": self.created_at,
            "created_by": self.created_by,
            "data_version": self.data_version,
            "files": [e.__dict__ for e in self.files],
        }
        return json.dumps(body, ensure_ascii=False, indent=1)


@dataclass(frozen=True)
class Restored:
    manifest: Manifest
    replaced: Path | None  # where the previous data folder was kept, when it held data
    seconds: float


# Files ----------------------------------------------------------------------


def _copy_hashing(source: Path, target: Path) -> tuple[int, str]:
    """Copy one file, fsync it, and return its size and SHA-256 (of the bytes written)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    digest, size = hashlib.sha256(), 0
    with source.open("rb") as reader, target.open("xb") as out:
        while block := reader.read(CHUNK):
            digest.update(block)
            out.write(block)
            size += len(block)
        out.flush()
        os.fsync(out.fileno())
    return size, digest.hexdigest()


def _hash(path: Path) -> tuple[int, str]:
    digest, size = hashlib.sha256(), 0
    with path.open("rb") as reader:
        while block := reader.read(CHUNK):
            digest.update(block)
            size += len(block)
    return size, digest.hexdigest()


def _is_housekeeping(relative: PurePosixPath) -> bool:
    """Files that are not data: logs, the lock file, the repository's placeholders."""
    return relative.parts[0] == "logs" or relative.name in (".gitkeep", ".writer.lock")


def _data_files(settings: Settings) -> Iterator[str]:
    """What a backup copies as plain files (the account store goes through SQLite's backup API)."""
    root = settings.data_dir
    for base in (
        settings.raw_dir,
        settings.snapshots_dir,
        settings.public_figures_dir,
        settings.reports_dir,
        settings.audit_spool_dir,
    ):
        if base.is_dir():
            for path in sorted(base.rglob("*")):
                relative = PurePosixPath(path.relative_to(root).as_posix())
                if path.is_file() and not _is_housekeeping(relative) and ".building-" not in str(relative):
                    yield str(relative)
    for path in (settings.warehouse_path, Path(f"{settings.warehouse_path}.wal"), settings.current_pointer):
        if path.is_file():
            yield path.relative_to(root).as_posix()


def _settle_warehouse(settings: Settings) -> None:
    """Under the writer lock: take in spooled audit rows, finish a publication, checkpoint."""
    con = connect_rw(settings.warehouse_path)
    try:
        audit.import_spool(con, settings)
        snapshots.repair(con, settings)
        con.execute("CHECKPOINT")  # everything in the database file, nothing left in the WAL
    finally:
        con.close()


def _copy_accounts(settings: Settings, staging: Path) -> Entry | None:
    """A consistent copy of the live account store (dashboards may be signing people in)."""
    if not settings.accounts_path.is_file():
        return None
    target = staging / ACCOUNTS
    target.parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(settings.accounts_path)
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)
        copy.execute("PRAGMA journal_mode = DELETE")  # one self-contained file
    finally:
        copy.close()
        source.close()
    size, sha = _hash(target)
    return Entry(ACCOUNTS, size, sha)


# Backup ---------------------------------------------------------------------


def backup(settings: Settings, parent: Path | None = None, actor: str = "etl", now: datetime | None = None) -> Path:
    """Write a complete, verified backup folder under `parent`; returns it."""
    if not settings.warehouse_path.is_file():
        raise NotFoundError("backup.nothing", path=str(settings.data_dir))
    parent = (parent or settings.backup_dir).resolve()
    name = f"tilannekuva-backup-{(now or datetime.now()):%Y%m%dT%H%M%S}"
    final = parent / name
    if final.exists():
        raise InputError("backup.exists", path=str(final))
    staging = parent / f".{name}.partial"
    staging.mkdir(parents=True)
    try:
        with writer_lock(settings, "backup"):
            _settle_warehouse(settings)
            entries = [
                Entry(rel, *_copy_hashing(settings.data_dir / rel, staging / rel)) for rel in _data_files(settings)
            ]
            accounts = _copy_accounts(settings, staging)
            served = snapshots.current(settings)
        manifest = Manifest(
            created_at=datetime.now().isoformat(timespec="seconds"),
            created_by=actor,
            data_version=served.version if served else None,
            files=tuple(entries + ([accounts] if accounts else [])),
        )
        _write_manifest(staging, manifest)
        os.rename(staging, final)
        fsync_path(parent)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    detail = {"path": str(final), "files": len(manifest.files), "bytes": manifest.total_bytes}
    audit.spool(settings, actor, "backup", "ok", {**detail, "data_version": manifest.data_version})
    flush_audit(settings)
    return final


def _write_manifest(folder: Path, manifest: Manifest) -> None:
    path = folder / MANIFEST
    write_atomic(path, manifest.to_json().encode("utf-8"))


# Verify ---------------------------------------------------------------------


def _safe_relative(text: Any) -> str:
    """A manifest path must stay inside the folder it names."""
    if not isinstance(text, str) or not text:
        raise ValueError(text)
    path = PurePosixPath(text)
    if path.is_absolute() or ".." in path.parts or "\\" in text:
        raise ValueError(text)
    return path.as_posix()


def read_manifest(folder: Path) -> Manifest:
    """The manifest of a backup folder, or InputError when the folder is not a complete backup."""
    try:
        body = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        if body.get("format") != FORMAT:
            raise ValueError(body.get("format"))
        files = tuple(Entry(_safe_relative(f["path"]), int(f["size"]), str(f["sha256"]).lower()) for f in body["files"])
        version = body.get("data_version")
        return Manifest(str(body["created_at"]), str(body["created_by"]), version, files)
    except (OSError, ValueError, KeyError, TypeError):
        raise InputError("backup.not_a_backup", path=str(folder)) from None


def verify(folder: Path) -> Manifest:
    """Check every file of a backup against its manifest; InputError names the first bad one."""
    manifest = read_manifest(folder)
    for entry in manifest.files:
        path = folder / entry.path
        if not path.is_file() or (entry.size, entry.sha256) != _hash(path):
            raise InputError("backup.damaged", path=str(folder), file=entry.path)
    return manifest


# Restore --------------------------------------------------------------------


def holds_data(folder: Path) -> bool:
    """Does the folder hold anything a restore would replace (logs and placeholders do not count)?"""
    if not folder.is_dir():
        return False
    for path in folder.rglob("*"):
        if path.is_file() and not _is_housekeeping(PurePosixPath(path.relative_to(folder).as_posix())):
            return True
    return False


def restore(settings: Settings, source: Path, force: bool = False, actor: str = "etl") -> Restored:
    """Replace the data folder with a verified backup; one audit row in the restored log."""
    started = time.perf_counter()
    target = settings.data_dir
    try:
        manifest = verify(source.resolve())
        if holds_data(target) and not force:
            raise InputError("backup.target_not_empty", path=str(target))
    except InputError as refused:
        if settings.warehouse_path.is_file():  # a refusal is worth a row where a log already exists
            audit.spool(settings, actor, "restore", "refused", {"source": str(source), "reason": refused.key})
            flush_audit(settings)
        raise
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = target.parent / f".{target.name}.restoring-{uuid.uuid4().hex[:8]}"
    staging.mkdir()
    try:
        for entry in manifest.files:
            if _copy_hashing(source / entry.path, staging / entry.path) != (entry.size, entry.sha256):
                raise InputError("backup.damaged", path=str(source), file=entry.path)
        for folder in (staging / "raw", staging / "processed"):
            folder.mkdir(exist_ok=True)
            fsync_path(folder)
        replaced = _swap(settings, staging)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    replaced = _carry_housekeeping(replaced, target)
    detail = {
        "source": str(source),
        "backup_created_at": manifest.created_at,
        "data_version": manifest.data_version,
        "files": len(manifest.files),
        "replaced": str(replaced) if replaced else None,
    }
    audit.spool(settings, actor, "restore", "ok", detail)
    flush_audit(settings)
    return Restored(manifest, replaced, time.perf_counter() - started)


def _swap(settings: Settings, staging: Path) -> Path | None:
    """Rename the complete staging folder into place; the old folder, if any, moves aside."""
    target = settings.data_dir
    if not target.exists():
        os.rename(staging, target)
        fsync_path(target.parent)
        return None
    aside = target.parent / f"{target.name}.before-restore-{datetime.now():%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:4]}"
    with writer_lock(settings, "restore"):  # no write runs in the old folder while it moves
        os.rename(target, aside)
        os.rename(staging, target)
    fsync_path(target.parent)
    return aside


def _carry_housekeeping(aside: Path | None, target: Path) -> Path | None:
    """Keep the log and the repository's placeholders; drop the old folder if that was all it held."""
    if aside is None:
        return None
    logs = aside / "logs"
    if logs.is_dir() and not (target / "logs").exists():
        os.rename(logs, target / "logs")  # an open log file keeps writing to the moved file
    for placeholder in ("raw/.gitkeep", "processed/.gitkeep"):
        if (aside / placeholder).is_file() and not (target / placeholder).exists():
            os.rename(aside / placeholder, target / placeholder)
    if holds_data(aside):
        return aside
    shutil.rmtree(aside, ignore_errors=True)
    return None
