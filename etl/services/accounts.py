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

The store and the Account record are `etl.services.account_store`, the password rules and
hashing `etl.services.passwords`, signing in and out `etl.services.signin`; this module
manages the accounts.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from etl.config import Settings
from etl.errors import InputError, NotFoundError
from etl.services.access import ORG_PEOPLE, SIGNED_IN, STAFF, AccessDenied, Caller, Role, require
from etl.services.account_store import (
    COLUMNS,
    Account,
    account_from_row,
    connect,
    fetch,
    flush,
    normalise_username,
    record,
    transaction,
    utcnow,
)
from etl.services.passwords import HASHER, check_password

USERNAME = re.compile(r"[a-z0-9][a-z0-9._@-]{1,63}")
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


# Checks ---------------------------------------------------------------------------


def _check_username(username: str) -> str:
    name = normalise_username(username)
    if not USERNAME.fullmatch(name):
        raise InputError("accounts.bad_username", username=username)
    return name


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
    """Coordinators manage the accounts of members, reporters and observers; admins manage every account."""
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
        record(settings, actor, action, "denied", {"username": username})
        flush(settings)
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
        if fetch(con, name) is not None:
            raise InputError("accounts.exists", username=name)
        if address and con.execute("SELECT 1 FROM account WHERE email = ?", [address]).fetchone():
            raise InputError("accounts.email_taken", email=address)
        hashed = HASHER.hash(password)
        with transaction(con):
            con.execute(
                "INSERT INTO account (username, display_name, email, role, org_code, password_hash, "
                "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [name, display_name.strip(), address, chosen.value, org, hashed, stamp, stamp],
            )
            record(settings, who.username, "user_add", "ok", {"username": name, "role": chosen.value, "org": org})
        found = fetch(con, name)
    flush(settings)
    assert found is not None
    return found[0]


ENDS_SESSIONS = ("user_disable", "user_reset")


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
        found = fetch(con, name)
        if found is None:
            raise NotFoundError("accounts.not_found", username=name)
        with _audited_change(settings, caller, action, name):
            who = _require_manager(caller, action, found[0].role)
        with transaction(con):
            con.execute(
                f"UPDATE account SET {assignments}, updated_at = ? WHERE username = ?",
                [*params, (now or utcnow()).isoformat(), name],
            )
            if action in ENDS_SESSIONS:  # every browser signed in as this user is signed out, in every process
                con.execute("DELETE FROM web_session WHERE username = ?", [name])
            record(settings, who.username, action, "ok", {"username": name})
        changed = fetch(con, name)
    flush(settings)
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
    return [account_from_row(row) for row in rows]
