"""A store made before the observer role takes observers, keeps its rows, sessions and index."""

import sqlite3

import pytest

from etl.services import account_store, accounts
from etl.services.access import Caller, Role
from tests.signin import PASSWORD

# The account table as the stores made before the observer role have it.
BEFORE = """
CREATE TABLE account (
    username        TEXT PRIMARY KEY CHECK (username = lower(username) AND length(username) BETWEEN 2 AND 64),
    display_name    TEXT NOT NULL DEFAULT '',
    email           TEXT CHECK (email IS NULL OR (email = lower(email) AND instr(email, '@') > 1)),
    role            TEXT NOT NULL CHECK (role IN ('member', 'reporter', 'coordinator', 'admin')),
    org_code        TEXT,
    password_hash   TEXT NOT NULL CHECK (password_hash LIKE '$argon2id$%'),
    disabled        INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
    failed_attempts INTEGER NOT NULL DEFAULT 0 CHECK (failed_attempts >= 0),
    locked_until    TEXT,
    last_login_at   TEXT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    CHECK ((role IN ('member', 'reporter')) = (org_code IS NOT NULL))
);
CREATE UNIQUE INDEX account_email ON account (email) WHERE email IS NOT NULL;
INSERT INTO account VALUES ('vanha', 'Vanha', 'vanha@example.fi', 'coordinator', NULL, '$argon2id$x', 0, 2,
                            NULL, '2026-01-02T03:04:05', '2025-01-01T00:00:00', '2025-01-01T00:00:00');
"""


def _sql(con: sqlite3.Connection, name: str) -> str:
    return con.execute("SELECT sql FROM sqlite_master WHERE name = ?", [name]).fetchone()[0]


def test_an_old_store_takes_observers_and_keeps_what_it_had(settings):
    settings.accounts_path.parent.mkdir(parents=True)
    with sqlite3.connect(settings.accounts_path) as con:
        con.executescript(BEFORE)
    with account_store.connect(settings) as con:  # the session table is made beside the old account table
        con.execute("INSERT INTO web_session VALUES ('h', 'session', 'vanha', 'a', 'b', 'c')")

    admin = Caller("boss", Role.ADMIN)
    added = accounts.add_user(settings, admin, username="tutkija", password=PASSWORD, role="observer", org_code=None)
    assert added.role == Role.OBSERVER

    with account_store.connect(settings) as con:
        rows = con.execute("SELECT username, role, email, failed_attempts, last_login_at FROM account ORDER BY 1")
        assert rows.fetchall() == [
            ("tutkija", "observer", None, 0, None),
            ("vanha", "coordinator", "vanha@example.fi", 2, "2026-01-02T03:04:05"),
        ]
        assert con.execute("SELECT username FROM web_session").fetchall() == [("vanha",)]
        assert "REFERENCES account (username)" in _sql(con, "web_session")  # not the old table's name
        assert "'observer'" in _sql(con, "account") and _sql(con, "account_email")
        assert con.execute("SELECT count(*) FROM sqlite_master WHERE name LIKE '%before%'").fetchone() == (0,)
        with pytest.raises(sqlite3.IntegrityError):  # the e-mail index is there again
            con.execute(
                "INSERT INTO account (username, email, role, password_hash, created_at, updated_at) "
                "VALUES ('toinen', 'vanha@example.fi', 'admin', '$argon2id$y', 'a', 'b')"
            )
