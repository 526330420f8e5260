"""Browser sessions that outlast a page: signed in once, still signed in after a reload or in a new tab.

The sign-in page checks the password (etl.services.signin) and asks for a `grant`: a random
one-time token, good for one minute. The browser takes it to the route that sets the cookie
(dashboard/routes.py), which trades it for a `session` token in an HttpOnly cookie. Every page
run then reads the cookie and `resolve`s it against the account store, which every dashboard
process shares: signing out, disabling the account or resetting its password ends the session
in every process at its next step. Only a SHA-256 hash of each token is stored.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from etl.config import Settings
from etl.services.account_store import Account, connect, fetch, transaction, utcnow

COOKIE = "tilannekuva_session"  # the browser's session cookie (set by dashboard/routes.py)
GRANT_SECONDS = 60
TOUCH_SECONDS = 60  # last seen is written at most once a minute: a page run is not a write
TOKEN_BYTES = 32


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _insert(settings: Settings, kind: str, username: str, expires: datetime, at: datetime) -> str:
    token = secrets.token_urlsafe(TOKEN_BYTES)
    with connect(settings) as con, transaction(con):
        con.execute(
            "INSERT INTO web_session (token_hash, kind, username, created_at, last_seen_at, expires_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [_hash(token), kind, username, at.isoformat(), at.isoformat(), expires.isoformat()],
        )
        con.execute("DELETE FROM web_session WHERE expires_at < ?", [at.isoformat()])  # tidy as we go
    return token


def grant(settings: Settings, username: str, now: datetime | None = None) -> str:
    """A one-time token for the route that sets the session cookie (after a password check)."""
    at = now or utcnow()
    return _insert(settings, "grant", username, at + timedelta(seconds=GRANT_SECONDS), at)


def open_session(settings: Settings, grant_token: str, now: datetime | None = None) -> str | None:
    """Trade a grant for a session token (a new random id: the grant is spent); None if not valid."""
    at = now or utcnow()
    with connect(settings) as con, transaction(con):
        row = con.execute(
            "DELETE FROM web_session WHERE token_hash = ? AND kind = 'grant' RETURNING username, expires_at",
            [_hash(grant_token)],
        ).fetchone()
    if row is None or datetime.fromisoformat(row[1]) < at:
        return None
    return _insert(settings, "session", row[0], at + timedelta(days=settings.session_days), at)


def resolve(settings: Settings, token: str, now: datetime | None = None) -> Account | None:
    """The account of a live session token, or None (unknown, expired, idle too long, account disabled)."""
    if not token or not settings.accounts_path.is_file():
        return None
    at = now or utcnow()
    with connect(settings) as con:
        row = con.execute(
            "SELECT username, last_seen_at, expires_at FROM web_session WHERE token_hash = ? AND kind = 'session'",
            [_hash(token)],
        ).fetchone()
        if row is None:
            return None
        last_seen, expires = datetime.fromisoformat(row[1]), datetime.fromisoformat(row[2])
        found = fetch(con, row[0])
        if at > expires or at - last_seen > timedelta(hours=settings.session_idle_hours) or found is None:
            close(settings, token)
            return None
        if found[0].disabled:
            return None
        if at - last_seen > timedelta(seconds=TOUCH_SECONDS):
            with transaction(con):
                touch = "UPDATE web_session SET last_seen_at = ? WHERE token_hash = ?"
                con.execute(touch, [at.isoformat(), _hash(token)])
    return found[0]


def close(settings: Settings, token: str) -> None:
    """End one session (sign-out): its cookie opens nothing any more, in any process."""
    if not token or not settings.accounts_path.is_file():
        return
    with connect(settings) as con, transaction(con):
        con.execute("DELETE FROM web_session WHERE token_hash = ?", [_hash(token)])
