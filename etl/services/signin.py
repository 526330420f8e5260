"""Signing in and out: the password sign-in with its lockout, single sign-on, and their audit rows."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from typing import Any

from etl.config import Settings
from etl.errors import TilannekuvaError
from etl.services.access import Caller
from etl.services.account_store import (
    COLUMNS,
    Account,
    account_from_row,
    connect,
    fetch,
    flush,
    get_account,
    normalise_username,
    record,
    transaction,
    utcnow,
)
from etl.services.passwords import HASHER, MAX_PASSWORD, dummy_hash, verify


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


# Signing in and out ---------------------------------------------------------------


def _refuse(settings: Settings, actor: str, reason: str, detail: dict[str, Any] | None = None) -> LoginFailed:
    record(settings, actor, "login", "failed", {"method": "password", "reason": reason, **(detail or {})})
    return LoginFailed(settings.lockout_minutes)


def authenticate(
    settings: Settings, username: str, password: str, now: datetime | None = None, flush_log: bool = True
) -> Account:
    """The account if the password is right and the account usable; LoginFailed otherwise.

    A wrong password counts; after `max_failed_logins` in a row the account is locked
    for `lockout_minutes` (one audit row for the failure, one for the lockout). While
    locked or disabled, even the right password is refused, with the same message.
    The rows are spooled; `flush_log=False` leaves moving them into the log to the caller
    (the dashboard does it after the first page is drawn, so the person never waits for the writer).
    """
    now = now or utcnow()
    name = normalise_username(username)[:64]
    usable = 0 < len(password) <= MAX_PASSWORD
    failure: LoginFailed | None
    with connect(settings) as con:
        found = fetch(con, name) if name else None
        if found is None:
            verify(dummy_hash(), password if usable else "")
            failure = _refuse(settings, name or "?", "unknown_user")
        else:
            right = usable and verify(found[1], password)
            with transaction(con):
                failure = _settle(con, settings, name, right, password, now)
    if flush_log:
        flush(settings)
    if failure is not None:
        raise failure
    account = get_account(settings, name)
    assert account is not None
    return account


def _settle(
    con: sqlite3.Connection, settings: Settings, name: str, right: bool, password: str, now: datetime
) -> LoginFailed | None:
    """Inside the store's write transaction: count, lock or admit, and spool the rows."""
    current = fetch(con, name)  # re-read: another process may have counted a failure meanwhile
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
        record(settings, name, "lockout", "locked", {"failures": failures, "locked_until": until.isoformat()})
        return failure
    if HASHER.check_needs_rehash(hashed):  # made with other parameters than the hasher's now
        con.execute("UPDATE account SET password_hash = ? WHERE username = ?", [HASHER.hash(password), name])
    con.execute(
        "UPDATE account SET failed_attempts = 0, locked_until = NULL, last_login_at = ?, updated_at = ? "
        "WHERE username = ?",
        [stamp, stamp, name],
    )
    record(settings, name, "login", "ok", {"method": "password"})
    return None


def record_sign_out(settings: Settings, caller: Caller) -> None:
    """One audit row for a sign-out."""
    record(settings, caller.username, "logout", "ok", {})
    flush(settings)


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
        account = match_identity(user_info, [account_from_row(row) for row in rows])
        with transaction(con):
            if account is None:
                record(settings, email or "?", "login", "failed", {"method": "sso", "reason": "no_account"})
            else:
                stamp = (now or utcnow()).isoformat()
                con.execute("UPDATE account SET last_login_at = ? WHERE username = ?", [stamp, account.username])
                record(settings, account.username, "login", "ok", {"method": "sso"})
    flush(settings)
    if account is None:
        raise SsoNoAccount(email)
    signed_in = get_account(settings, account.username)
    assert signed_in is not None
    return signed_in
