"""Accounts: who may sign in, with which role, for which organisation.

The store is SQLite (data/processed/accounts.sqlite3), not the warehouse: several
dashboard processes may sign people in at the same time, and DuckDB allows one
read-write process only. Passwords are kept only as argon2id hashes.

Every sign-in, failed sign-in, lockout, sign-out and account change writes exactly
one audit row. The row is spooled (etl.warehouse.audit.spool) inside the account store's
transaction and moved into the warehouse's log right after when the writer lock is
free (etl.warehouse.writer.flush_audit), so signing in never waits for a load to finish.

Every change checks the caller's role itself (etl.services.access.require): a page reached
by URL or a tampered session cannot act.
"""

from __future__ import annotations

import logging
import os
import re
import sqlite3
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from etl.config import Settings
from etl.errors import InputError, NotFoundError, TilannekuvaError
from etl.services.access import ORG_PEOPLE, SIGNED_IN, STAFF, AccessDenied, Caller, Role, require
from etl.warehouse import audit
from etl.warehouse.writer import flush_audit

log = logging.getLogger(__name__)

SCHEMA_PATH = Path(__file__).parent.parent / "sql" / "accounts" / "schema.sql"
HASHER = PasswordHasher()  # argon2id with the library's recommended parameters (RFC 9106 low-memory)
BUSY_TIMEOUT_MS = 5000  # wait this long for another process's write to the store
MIN_PASSWORD, MAX_PASSWORD = 12, 1024
USERNAME = re.compile(r"[a-z0-9][a-z0-9._@-]{1,63}")
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
COLUMNS = (
    "username, display_name, email, role, org_code, disabled, failed_attempts, "
    "locked_until, last_login_at, created_at, updated_at"
)


class LoginFailed(TilannekuvaError):
    """One message for every failed sign-in: it never tells whether the user name exists."""

    exit_code = 77

    def __init__(self, minutes: int) -> None:
        super().__init__("accounts.login_failed", minutes=minutes)


class SsoNoAccount(TilannekuvaError):
    """Signed in with the identity provider, but no usable account has that e-mail."""

    exit_code = 77

    def __init__(self, email: str) -> None:
        super().__init__("accounts.sso_no_account", email=email)


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


def _account(row: tuple[Any, ...]) -> Account:
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


# The store ----------------------------------------------------------------------


@cache
def _schema() -> str:
    return SCHEMA_PATH.read_text(encoding="utf-8")


@contextmanager
def connect(settings: Settings) -> Iterator[sqlite3.Connection]:
    """The account store, created on first use (readable by this user only)."""
    path = settings.accounts_path
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))  # hashes are private, even to other local users
    con = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    try:
        con.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        con.execute("PRAGMA journal_mode = WAL")  # readers never wait for a writer
        con.executescript(_schema())
        yield con
    finally:
        con.close()


@contextmanager
def _transaction(con: sqlite3.Connection) -> Iterator[None]:
    con.execute("BEGIN IMMEDIATE")  # take the write lock first: no upgrade deadlock between processes
    try:
        yield
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")


def _fetch(con: sqlite3.Connection, username: str) -> tuple[Account, str] | None:
    row = con.execute(f"SELECT {COLUMNS}, password_hash FROM account WHERE username = ?", [username]).fetchone()
    return (_account(row[:-1]), str(row[-1])) if row else None


def _record(settings: Settings, actor: str, action: str, outcome: str, detail: dict[str, Any]) -> None:
    """Spool the event's audit row. Called inside the store's transaction, so a change is
    never committed without its row (a crash in between can only leave a row too many)."""
    audit.spool(settings, actor, action, outcome, detail)


def _flush(settings: Settings) -> None:
    """Move spooled rows into the log now if the writer is free; never fail the action for it."""
    try:
        flush_audit(settings)
    except Exception:  # the rows are safe in the spool; the next writer imports them
        log.exception("could not flush the audit spool")


# Checks ---------------------------------------------------------------------------


def normalise_username(username: str) -> str:
    return username.strip().lower()


def _check_username(username: str) -> str:
    name = normalise_username(username)
    if not USERNAME.fullmatch(name):
        raise InputError("accounts.bad_username", username=username)
    return name


def check_password(password: str, username: str) -> None:
    """The password rules: long enough, not absurdly long, not the user name."""
    if len(password) < MIN_PASSWORD:
        raise InputError("accounts.password_too_short", minimum=MIN_PASSWORD)
    if len(password) > MAX_PASSWORD:
        raise InputError("accounts.password_too_long", maximum=MAX_PASSWORD)
    if normalise_username(password) == username:
        raise InputError("accounts.password_is_username")


def _check_email(email: str | None) -> str | None:
    if email is None or not email.strip():
        return None
    value = email.strip().lower()
    if not EMAIL.fullmatch(value):
        raise InputError("accounts.bad_email", email=email)
    return value


def _check_role(role: Role | str, org_code: str | None, settings: Settings) -> tuple[Role, str | None]:
    try:
        chosen = Role(role)
    except ValueError:
        chosen = Role.PUBLIC
    if chosen not in SIGNED_IN:
        raise InputError("accounts.bad_role", role=str(role), choices=", ".join(SIGNED_IN))
    org = org_code.strip() if org_code and org_code.strip() else None
    if chosen in ORG_PEOPLE and org is None:
        raise InputError("accounts.org_required", role=chosen.value)
    if chosen not in ORG_PEOPLE and org is not None:
        raise InputError("accounts.org_not_for_role", role=chosen.value)
    if org is not None and not organisation_known(settings, org):
        raise InputError("accounts.unknown_org", org=org)
    return chosen, org


def organisation_known(settings: Settings, code: str) -> bool:
    """Is `code` in the member register? The published snapshot first (never locked),
    then the warehouse for organisations added since the last publication."""
    import duckdb

    from etl.errors import BusyError
    from etl.publish import snapshots

    ref = snapshots.current(settings)
    if ref is not None:
        with snapshots.open_snapshot(ref.path) as con:
            if con.execute("SELECT count(*) FROM organisation WHERE code = ?", [code]).fetchall()[0][0]:
                return True
    if not settings.warehouse_path.is_file():
        return False
    try:
        con = duckdb.connect(str(settings.warehouse_path), read_only=True)
    except duckdb.IOException as exc:  # a write holds the file: try again in a moment
        raise BusyError(holder="?") from exc
    try:
        return bool(con.execute("SELECT count(*) FROM organisation WHERE code = ?", [code]).fetchall()[0][0])
    finally:
        con.close()


def _require_manager(caller: Caller | None, action: str, target_role: Role | None = None) -> Caller:
    """Coordinators manage member and reporter accounts; admins manage every account."""
    who = require(caller, *STAFF, action=action)
    if who.role == Role.COORDINATOR and target_role in STAFF:
        raise AccessDenied(action)
    return who


@contextmanager
def _audited_change(settings: Settings, caller: Caller | None, action: str, username: str) -> Iterator[None]:
    """A refused change still writes its one audit row (outcome "denied")."""
    try:
        yield
    except AccessDenied:
        actor = caller.username if caller else "anonymous"
        _record(settings, actor, action, "denied", {"username": username})
        _flush(settings)
        raise


# Account management -------------------------------------------------------------------


def add_user(
    settings: Settings,
    caller: Caller | None,
    *,
    username: str,
    password: str,
    role: Role | str,
    org_code: str | None = None,
    display_name: str = "",
    email: str | None = None,
    now: datetime | None = None,
) -> Account:
    """Create an account; the password is stored only as its argon2id hash."""
    with _audited_change(settings, caller, "user_add", username):
        who = _require_manager(caller, "user_add", Role(role) if role in set(Role) else None)
    name = _check_username(username)
    chosen, org = _check_role(role, org_code, settings)
    check_password(password, name)
    address = _check_email(email)
    stamp = (now or utcnow()).isoformat()
    with connect(settings) as con:
        if _fetch(con, name) is not None:
            raise InputError("accounts.exists", username=name)
        if address and con.execute("SELECT 1 FROM account WHERE email = ?", [address]).fetchone():
            raise InputError("accounts.email_taken", email=address)
        hashed = HASHER.hash(password)
        with _transaction(con):
            con.execute(
                "INSERT INTO account (username, display_name, email, role, org_code, password_hash, "
                "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [name, display_name.strip(), address, chosen.value, org, hashed, stamp, stamp],
            )
            _record(settings, who.username, "user_add", "ok", {"username": name, "role": chosen.value, "org": org})
        found = _fetch(con, name)
    _flush(settings)
    assert found is not None
    return found[0]


def _change(
    settings: Settings,
    caller: Caller | None,
    action: str,
    username: str,
    assignments: str,
    params: list[Any],
    now: datetime | None,
) -> Account:
    """Apply one UPDATE to an existing account after the manager check; one audit row."""
    name = normalise_username(username)
    with connect(settings) as con:
        found = _fetch(con, name)
        if found is None:
            raise NotFoundError("accounts.not_found", username=name)
        with _audited_change(settings, caller, action, name):
            who = _require_manager(caller, action, found[0].role)
        with _transaction(con):
            con.execute(
                f"UPDATE account SET {assignments}, updated_at = ? WHERE username = ?",
                [*params, (now or utcnow()).isoformat(), name],
            )
            _record(settings, who.username, action, "ok", {"username": name})
        changed = _fetch(con, name)
    _flush(settings)
    assert changed is not None
    return changed[0]


def disable_user(settings: Settings, caller: Caller | None, username: str, now: datetime | None = None) -> Account:
    """The account can no longer sign in; an open session ends on its next step."""
    return _change(settings, caller, "user_disable", username, "disabled = 1", [], now)


def enable_user(settings: Settings, caller: Caller | None, username: str, now: datetime | None = None) -> Account:
    return _change(settings, caller, "user_enable", username, "disabled = 0", [], now)


def reset_password(
    settings: Settings, caller: Caller | None, username: str, password: str, now: datetime | None = None
) -> Account:
    """A new password; also releases a lockout."""
    name = normalise_username(username)
    check_password(password, name)
    hashed = HASHER.hash(password)
    assignments = "password_hash = ?, failed_attempts = 0, locked_until = NULL"
    return _change(settings, caller, "user_reset", name, assignments, [hashed], now)


def list_users(settings: Settings, caller: Caller | None) -> list[Account]:
    """Every account, without hashes (coordinators and admins only)."""
    require(caller, *STAFF, action="user_list")
    with connect(settings) as con:
        rows = con.execute(f"SELECT {COLUMNS} FROM account ORDER BY username").fetchall()
    return [_account(row) for row in rows]


def get_account(settings: Settings, username: str) -> Account | None:
    """One account as it is now (the dashboard re-reads it on every step of a session)."""
    if not settings.accounts_path.is_file():
        return None
    with connect(settings) as con:
        found = _fetch(con, normalise_username(username))
    return found[0] if found else None


# Signing in and out ---------------------------------------------------------------


@cache
def _dummy_hash() -> str:
    """Checked against when the user name does not exist, so a miss costs what a hit costs."""
    return HASHER.hash(os.urandom(16).hex())


def _verify(hashed: str, password: str) -> bool:
    try:
        return HASHER.verify(hashed, password)
    except (VerificationError, InvalidHashError):
        return False


def _refuse(settings: Settings, actor: str, reason: str, detail: dict[str, Any] | None = None) -> LoginFailed:
    _record(settings, actor, "login", "failed", {"method": "password", "reason": reason, **(detail or {})})
    return LoginFailed(settings.lockout_minutes)


def authenticate(settings: Settings, username: str, password: str, now: datetime | None = None) -> Account:
    """The account if the password is right and the account usable; LoginFailed otherwise.

    A wrong password counts; after `max_failed_logins` in a row the account is locked
    for `lockout_minutes` (one audit row for the failure, one for the lockout). While
    locked or disabled, even the right password is refused, with the same message.
    """
    now = now or utcnow()
    name = normalise_username(username)[:64]
    usable = 0 < len(password) <= MAX_PASSWORD
    failure: LoginFailed | None
    with connect(settings) as con:
        found = _fetch(con, name) if name else None
        if found is None:
            _verify(_dummy_hash(), password if usable else "")
            failure = _refuse(settings, name or "?", "unknown_user")
        else:
            right = usable and _verify(found[1], password)
            with _transaction(con):
                failure = _settle(con, settings, name, right, password, now)
    _flush(settings)
    if failure is not None:
        raise failure
    account = get_account(settings, name)
    assert account is not None
    return account


def _settle(
    con: sqlite3.Connection, settings: Settings, name: str, right: bool, password: str, now: datetime
) -> LoginFailed | None:
    """Inside the store's write transaction: count, lock or admit, and spool the rows."""
    current = _fetch(con, name)  # re-read: another process may have counted a failure meanwhile
    assert current is not None
    account, hashed = current
    if account.disabled:
        return _refuse(settings, name, "disabled")
    if account.is_locked(now):
        assert account.locked_until is not None
        return _refuse(settings, name, "locked", {"locked_until": account.locked_until.isoformat()})
    stamp = now.isoformat()
    if not right:
        failures = account.failed_attempts + 1
        failure = _refuse(settings, name, "wrong_password", {"failures": failures})
        if failures < settings.max_failed_logins:
            con.execute(
                "UPDATE account SET failed_attempts = ?, updated_at = ? WHERE username = ?", [failures, stamp, name]
            )
            return failure
        until = now + timedelta(minutes=settings.lockout_minutes)
        con.execute(  # the count starts again after the lockout
            "UPDATE account SET failed_attempts = 0, locked_until = ?, updated_at = ? WHERE username = ?",
            [until.isoformat(), stamp, name],
        )
        _record(settings, name, "lockout", "locked", {"failures": failures, "locked_until": until.isoformat()})
        return failure
    if HASHER.check_needs_rehash(hashed):  # the hasher's parameters were raised since this hash was made
        con.execute("UPDATE account SET password_hash = ? WHERE username = ?", [HASHER.hash(password), name])
    con.execute(
        "UPDATE account SET failed_attempts = 0, locked_until = NULL, last_login_at = ?, updated_at = ? "
        "WHERE username = ?",
        [stamp, stamp, name],
    )
    _record(settings, name, "login", "ok", {"method": "password"})
    return None


def record_sign_out(settings: Settings, caller: Caller) -> None:
    """One audit row for a sign-out."""
    _record(settings, caller.username, "logout", "ok", {})
    _flush(settings)


# Single sign-on (OIDC through Streamlit's st.login) ------------------------------------


def match_identity(user_info: Mapping[str, Any], accounts: Iterable[Account]) -> Account | None:
    """The enabled account whose e-mail is the identity's, if the provider vouches for it.

    `user_info` is what `st.user.to_dict()` gives: `is_logged_in` and the ID token's
    claims. An `email_verified` claim that is present and false is refused.
    """
    if user_info.get("is_logged_in") is not True:
        return None
    email = user_info.get("email")
    if not isinstance(email, str) or not email.strip():
        return None
    if user_info.get("email_verified") in (False, "false"):
        return None
    wanted = email.strip().lower()
    matches = [a for a in accounts if a.email == wanted and not a.disabled]
    return matches[0] if len(matches) == 1 else None


def sign_in_sso(settings: Settings, user_info: Mapping[str, Any], now: datetime | None = None) -> Account:
    """Map an identity-provider sign-in to an account; one audit row either way.

    A password lockout does not block single sign-on (the provider checked the person);
    a disabled account is refused.
    """
    email = str(user_info.get("email") or "").strip().lower()
    with connect(settings) as con:
        rows = con.execute(f"SELECT {COLUMNS} FROM account WHERE email = ?", [email]).fetchall()
        account = match_identity(user_info, [_account(row) for row in rows])
        with _transaction(con):
            if account is None:
                _record(settings, email or "?", "login", "failed", {"method": "sso", "reason": "no_account"})
            else:
                stamp = (now or utcnow()).isoformat()
                con.execute("UPDATE account SET last_login_at = ? WHERE username = ?", [stamp, account.username])
                _record(settings, account.username, "login", "ok", {"method": "sso"})
    _flush(settings)
    if account is None:
        raise SsoNoAccount(email)
    signed_in = get_account(settings, account.username)
    assert signed_in is not None
    return signed_in
