"""Access tokens for the open data interface: issued and revoked by staff, each audited.

A script sends `Authorization: Bearer <token>` (dashboard/api.py). The account store keeps
only the token's SHA-256 hash; the token itself is shown once, when it is issued.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from etl.config import Settings
from etl.errors import InputError, NotFoundError
from etl.services.access import STAFF, Caller, require
from etl.services.account_store import connect, flush, record, transaction, utcnow

PREFIX = "tk_"  # recognisable in a script or a leaked file
ID_LENGTH = 12
TOUCH = timedelta(minutes=1)


@dataclass(frozen=True)
class ApiToken:
    id: str
    label: str
    created_by: str
    created_at: datetime
    revoked_at: datetime | None
    last_used_at: datetime | None


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _time(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def issue(settings: Settings, caller: Caller | None, label: str) -> tuple[ApiToken, str]:
    """A new token (staff only), with the label that says whose script it is: (its record, the token)."""
    who = require(caller, *STAFF, action="api_token_issue")
    label = label.strip()
    if not 1 <= len(label) <= 100:
        raise InputError("api.token_label")
    token = PREFIX + secrets.token_urlsafe(32)
    hashed, at = _hash(token), utcnow()
    with connect(settings) as con, transaction(con):
        con.execute(
            "INSERT INTO api_token (id, token_hash, label, created_by, created_at) VALUES (?, ?, ?, ?, ?)",
            [hashed[:ID_LENGTH], hashed, label, who.username, at.isoformat()],
        )
        record(settings, who.username, "api_token_issue", "ok", {"token": hashed[:ID_LENGTH], "label": label})
    flush(settings)
    return ApiToken(hashed[:ID_LENGTH], label, who.username, at, None, None), token


def revoke(settings: Settings, caller: Caller | None, token_id: str) -> None:
    """The token opens nothing any more (staff only)."""
    who = require(caller, *STAFF, action="api_token_revoke")
    with connect(settings) as con, transaction(con):
        changed = con.execute(
            "UPDATE api_token SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", [utcnow().isoformat(), token_id]
        ).rowcount
        if not changed:
            raise NotFoundError("api.token_not_found", token=token_id)
        record(settings, who.username, "api_token_revoke", "ok", {"token": token_id})
    flush(settings)


def list_tokens(settings: Settings, caller: Caller | None) -> list[ApiToken]:
    require(caller, *STAFF, action="api_token_list")
    with connect(settings) as con:
        rows = con.execute(
            "SELECT id, label, created_by, created_at, revoked_at, last_used_at FROM api_token ORDER BY created_at"
        ).fetchall()
    return [ApiToken(r[0], r[1], r[2], datetime.fromisoformat(r[3]), _time(r[4]), _time(r[5])) for r in rows]


def valid(settings: Settings, token: str) -> bool:
    """Does `token` open the interface (issued and not revoked)? Notes when it was last used."""
    if not token.startswith(PREFIX) or not settings.accounts_path.is_file():
        return False
    at = utcnow()
    with connect(settings) as con:
        row = con.execute(
            "SELECT id, last_used_at FROM api_token WHERE token_hash = ? AND revoked_at IS NULL", [_hash(token)]
        ).fetchone()
        if row is None:
            return False
        last = _time(row[1])
        if last is None or at - last > TOUCH:
            with transaction(con):
                con.execute("UPDATE api_token SET last_used_at = ? WHERE id = ?", [at.isoformat(), row[0]])
    return True
