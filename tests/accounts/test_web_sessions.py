"""Browser sessions in the account store (etl.services.web_sessions): grants, expiry, ending everywhere."""

from __future__ import annotations

import sqlite3
from datetime import timedelta

import pytest

from etl.config import Settings
from etl.services import accounts, web_sessions
from etl.services.access import Role
from etl.services.account_store import utcnow
from tests.signin import CREATOR, make_account


def _signed_in(settings: Settings, username: str = "test-coordinator") -> str:
    make_account(settings, Role.COORDINATOR)
    token = web_sessions.open_session(settings, web_sessions.grant(settings, username))
    assert token is not None
    return token


def test_a_grant_opens_one_session_once_and_the_store_keeps_only_hashes(settings):
    make_account(settings, Role.COORDINATOR)
    grant = web_sessions.grant(settings, "test-coordinator")
    token = web_sessions.open_session(settings, grant)
    assert token is not None and token != grant  # a new id at sign-in
    assert web_sessions.open_session(settings, grant) is None  # spent
    account = web_sessions.resolve(settings, token)
    assert account is not None and account.username == "test-coordinator"
    stored = sqlite3.connect(settings.accounts_path).execute("SELECT token_hash FROM web_session").fetchall()
    assert stored and all(token not in row[0] and grant not in row[0] for row in stored)


def test_a_grant_lasts_a_minute(settings):
    make_account(settings, Role.COORDINATOR)
    grant = web_sessions.grant(settings, "test-coordinator")
    later = utcnow() + timedelta(seconds=web_sessions.GRANT_SECONDS + 1)
    assert web_sessions.open_session(settings, grant, later) is None


@pytest.mark.parametrize("token", ["", "made-up", "x" * 43])
def test_an_unknown_or_tampered_token_opens_nothing(settings, token):
    real = _signed_in(settings)
    assert web_sessions.resolve(settings, token) is None
    assert web_sessions.resolve(settings, real[:-1] + ("A" if real[-1] != "A" else "B")) is None


def test_idle_and_absolute_expiry(settings):
    token = _signed_in(settings)
    start = utcnow()
    idle = timedelta(hours=settings.session_idle_hours)
    assert web_sessions.resolve(settings, token, start + idle - timedelta(minutes=1)) is not None  # seen: idle restarts
    assert web_sessions.resolve(settings, token, start + 2 * idle - timedelta(minutes=2)) is not None
    assert web_sessions.resolve(settings, token, start + 3 * idle) is None  # idle too long: ended for good
    assert web_sessions.resolve(settings, token, start + timedelta(minutes=1)) is None

    token = _signed_in(settings)
    days = timedelta(days=settings.session_days)
    at = start
    while at < start + days - idle:  # used every few hours, still ends after the absolute limit
        at += idle / 2
        assert web_sessions.resolve(settings, token, at) is not None
    assert web_sessions.resolve(settings, token, start + days + timedelta(minutes=1)) is None


def test_sign_out_ends_the_session_for_every_copy_of_the_cookie(settings):
    token = _signed_in(settings)
    web_sessions.close(settings, token)
    assert web_sessions.resolve(settings, token) is None


@pytest.mark.parametrize("change", ["disable", "reset"])
def test_disabling_or_resetting_an_account_ends_its_sessions(settings, change):
    token = _signed_in(settings)
    if change == "disable":
        accounts.disable_user(settings, CREATOR, "test-coordinator")
    else:
        accounts.reset_password(settings, CREATOR, "test-coordinator", "a new long passphrase 2026")
    assert web_sessions.resolve(settings, token) is None
    if change == "disable":
        accounts.enable_user(settings, CREATOR, "test-coordinator")
        assert web_sessions.resolve(settings, token) is None  # enabling again does not bring it back
