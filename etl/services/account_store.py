"""The account store: its SQLite file and transactions, the Account record, audit spooling, one account's lookup."""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

from etl.config import Settings
from etl.services.access import Caller, Role
from etl.warehouse import audit
from etl.warehouse.writer import flush_audit

log = logging.getLogger(__name__)

SCHEMA_PATH = Path(__file__).parent.parent / "sql" / "accounts" / "schema.sql"
OBSERVER_SQL = SCHEMA_PATH.with_name("observer_role.sql")
BUSY_TIMEOUT_MS = 5000  # wait this long for another process's write to the store
COLUMNS = (
    "username, display_name, email, role, org_code, disabled, failed_attempts, "
    "locked_until, last_login_at, created_at, updated_at"
)


@dataclass(frozen=True)
class Account:
    username: str
    display_name: str
    email: str | None
    role: Role
    org_code: str | None
    disabled: bool
    failed_attempts: int
    locked_until: datetime | None
    last_login_at: datetime | None
    created_at: datetime
    updated_at: datetime

    def caller(self) -> Caller:
        return Caller(self.username, self.role, self.org_code)

    def is_locked(self, now: datetime) -> bool:
        return self.locked_until is not None and now < self.locked_until


def utcnow() -> datetime:
    return datetime.now(UTC)


def _time(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def account_from_row(row: tuple[Any, ...]) -> Account:
    name, display, email, role, org, disabled, failed, locked, last, created, updated = row
    created_at, updated_at = _time(created), _time(updated)
    assert created_at is not None and updated_at is not None
    return Account(
        name,
        display,
        email,
        Role(role),
        org,
        bool(disabled),
        int(failed),
        _time(locked),
        _time(last),
        created_at,
        updated_at,
    )


@cache
def _schema() -> str:
    return SCHEMA_PATH.read_text(encoding="utf-8")


def _upgrade(con: sqlite3.Connection) -> None:
    """A store made by an earlier version: let its account table hold observers."""
    (table,) = con.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'account'").fetchone()
    if "'observer'" not in table:
        con.executescript(OBSERVER_SQL.read_text(encoding="utf-8").replace("-- schema.sql --", _schema()))


def _create(path: Path) -> None:
    """A new store, made whole (tables, WAL) under another name and then put in place in one step.

    Sessions and processes arrive together on a fresh install: switching a file that another
    connection has open to WAL is refused at once ("database is locked"), busy timeout or not.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    new = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.new")
    os.close(os.open(new, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600))  # hashes are private, even locally
    try:
        con = sqlite3.connect(new, isolation_level=None)
        try:
            con.execute("PRAGMA journal_mode = WAL")  # readers never wait for a writer
            con.executescript(_schema())
        finally:
            con.close()
        with contextlib.suppress(FileExistsError):  # another session's store came first: the same
            os.link(new, path)
    finally:
        for leftover in (new, new.with_name(f"{new.name}-wal"), new.with_name(f"{new.name}-shm")):
            leftover.unlink(missing_ok=True)


@contextmanager
def connect(settings: Settings) -> Iterator[sqlite3.Connection]:
    """The account store, created on first use (readable by this user only)."""
    path = settings.accounts_path
    if not path.exists():
        _create(path)
    con = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    try:
        con.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        if con.execute("PRAGMA journal_mode").fetchone() != ("wal",):  # a store made before WAL
            con.execute("PRAGMA journal_mode = WAL")
        con.executescript(_schema())
        _upgrade(con)
        yield con
    finally:
        con.close()


@contextmanager
def transaction(con: sqlite3.Connection) -> Iterator[None]:
    con.execute("BEGIN IMMEDIATE")  # take the write lock first: no upgrade deadlock between processes
    try:
        yield
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")


def fetch(con: sqlite3.Connection, username: str) -> tuple[Account, str] | None:
    row = con.execute(f"SELECT {COLUMNS}, password_hash FROM account WHERE username = ?", [username]).fetchone()
    return (account_from_row(row[:-1]), str(row[-1])) if row else None


def record(settings: Settings, actor: str, action: str, outcome: str, detail: dict[str, Any]) -> None:
    """Spool the event's audit row. Called inside the store's transaction, so a change is
    never committed without its row (a crash in between can only leave a row too many)."""
    audit.spool(settings, actor, action, outcome, detail)


def flush(settings: Settings) -> None:
    """Move spooled rows into the log now if the writer is free; never fail the action for it."""
    try:
        flush_audit(settings)
    except Exception:  # the rows are safe in the spool; the next writer imports them
        log.exception("could not flush the audit spool")


def normalise_username(username: str) -> str:
    return username.strip().lower()


def get_account(settings: Settings, username: str) -> Account | None:
    """One account as it is now (the dashboard re-reads it on every step of a session)."""
    if not settings.accounts_path.is_file():
        return None
    with connect(settings) as con:
        found = fetch(con, normalise_username(username))
    return found[0] if found else None
