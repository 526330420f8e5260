"""Passwords: argon2id hashes only, verify and reject, lockout and its release (clock injected)."""

import sqlite3
from datetime import UTC, datetime, timedelta

import pytest
from argon2 import PasswordHasher

from etl.errors import InputError
from etl.services import account_store, accounts, signin
from etl.services.access import Caller, Role
from etl.services.signin import LoginFailed
from tests.signin import PASSWORD, make_account

T0 = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)


def _stored(settings, username):
    con = sqlite3.connect(settings.accounts_path)
    try:
        return con.execute("SELECT * FROM account WHERE username = ?", [username]).fetchone()
    finally:
        con.close()


def test_the_store_holds_an_argon2id_hash_never_the_password(settings):
    make_account(settings, Role.COORDINATOR, username="kaisa")
    row = _stored(settings, "kaisa")
    hashes = [value for value in row if isinstance(value, str) and value.startswith("$argon2")]
    assert len(hashes) == 1 and hashes[0].startswith("$argon2id$")
    assert PASSWORD not in repr(row)
    assert PASSWORD.encode() not in settings.accounts_path.read_bytes()


def test_the_right_password_signs_in_and_a_wrong_one_is_refused(settings):
    make_account(settings, Role.COORDINATOR, username="kaisa")
    assert signin.authenticate(settings, " Kaisa ", PASSWORD, now=T0).caller() == Caller("kaisa", Role.COORDINATOR)
    with pytest.raises(LoginFailed):
        signin.authenticate(settings, "kaisa", PASSWORD + "x", now=T0)
    with pytest.raises(LoginFailed):
        signin.authenticate(settings, "kaisa", "", now=T0)


def test_an_unknown_user_gets_the_same_message_as_a_wrong_password(settings):
    make_account(settings, Role.COORDINATOR, username="kaisa")
    with pytest.raises(LoginFailed) as wrong:
        signin.authenticate(settings, "kaisa", "not the password", now=T0)
    with pytest.raises(LoginFailed) as unknown:
        signin.authenticate(settings, "nobody", "not the password", now=T0)
    for lang in ("fi", "sv", "en"):
        assert wrong.value.message(lang) == unknown.value.message(lang)


def _fail(settings, times, at):
    for _ in range(times):
        with pytest.raises(LoginFailed):
            signin.authenticate(settings, "kaisa", "wrong password", now=at)


def test_five_failures_lock_the_account_for_fifteen_minutes(settings):
    make_account(settings, Role.COORDINATOR, username="kaisa")
    _fail(settings, 4, T0)
    assert signin.authenticate(settings, "kaisa", PASSWORD, now=T0).failed_attempts == 0  # success resets the count
    _fail(settings, 5, T0)
    locked = account_store.get_account(settings, "kaisa")
    assert locked.locked_until == T0 + timedelta(minutes=15)
    with pytest.raises(LoginFailed):  # even the right password, with the same message
        signin.authenticate(settings, "kaisa", PASSWORD, now=T0 + timedelta(minutes=14, seconds=59))
    released = signin.authenticate(settings, "kaisa", PASSWORD, now=T0 + timedelta(minutes=15))
    assert released.locked_until is None and released.failed_attempts == 0


def test_failures_while_locked_do_not_extend_the_lock(settings):
    make_account(settings, Role.COORDINATOR, username="kaisa")
    _fail(settings, 5, T0)
    _fail(settings, 10, T0 + timedelta(minutes=10))
    assert account_store.get_account(settings, "kaisa").locked_until == T0 + timedelta(minutes=15)
    _fail(settings, 4, T0 + timedelta(minutes=16))  # a fresh count after the release
    assert account_store.get_account(settings, "kaisa").locked_until == T0 + timedelta(minutes=15)


def test_lockout_limits_are_settings(settings, monkeypatch):
    from etl.config import get_settings

    monkeypatch.setenv("TILANNEKUVA_MAX_FAILED_LOGINS", "2")
    monkeypatch.setenv("TILANNEKUVA_LOCKOUT_MINUTES", "60")
    changed = get_settings()
    make_account(changed, Role.COORDINATOR, username="kaisa")
    _fail(changed, 2, T0)
    assert account_store.get_account(changed, "kaisa").locked_until == T0 + timedelta(minutes=60)
    with pytest.raises(LoginFailed) as refused:
        signin.authenticate(changed, "kaisa", PASSWORD, now=T0)
    assert "60" in refused.value.message("fi")


def test_a_disabled_account_cannot_sign_in_and_enabling_restores_it(settings):
    make_account(settings, Role.COORDINATOR, username="kaisa")
    admin = Caller("boss", Role.ADMIN)
    accounts.disable_user(settings, admin, "kaisa")
    with pytest.raises(LoginFailed):
        signin.authenticate(settings, "kaisa", PASSWORD, now=T0)
    accounts.enable_user(settings, admin, "kaisa")
    assert signin.authenticate(settings, "kaisa", PASSWORD, now=T0).username == "kaisa"


def test_reset_sets_a_new_password_and_ends_a_lockout(settings):
    make_account(settings, Role.COORDINATOR, username="kaisa")
    _fail(settings, 5, T0)
    accounts.reset_password(settings, Caller("boss", Role.ADMIN), "kaisa", "a brand new passphrase", now=T0)
    with pytest.raises(LoginFailed):
        signin.authenticate(settings, "kaisa", PASSWORD, now=T0)
    assert signin.authenticate(settings, "kaisa", "a brand new passphrase", now=T0).username == "kaisa"


OWASP_MINIMUM = "$argon2id$v=19$m=19456,t=2,p=1$"  # 19 MiB, 2 passes, 1 lane


def test_hashes_use_owasps_minimum_argon2id_parameters(settings):
    make_account(settings, Role.COORDINATOR, username="kaisa")
    (stored,) = [v for v in _stored(settings, "kaisa") if isinstance(v, str) and v.startswith("$argon2id$")]
    assert stored.startswith(OWASP_MINIMUM)


@pytest.mark.parametrize(
    "other",
    [
        PasswordHasher(),  # the library's RFC 9106 default, used before: dearer than needed
        PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1),  # weaker
    ],
    ids=["older-default", "weaker"],
)
def test_a_hash_with_other_parameters_is_replaced_at_sign_in(settings, other):
    make_account(settings, Role.COORDINATOR, username="kaisa")
    old = other.hash(PASSWORD)
    con = sqlite3.connect(settings.accounts_path)
    con.execute("UPDATE account SET password_hash = ? WHERE username = 'kaisa'", [old])
    con.commit()
    con.close()
    signin.authenticate(settings, "kaisa", PASSWORD, now=T0)
    (stored,) = [v for v in _stored(settings, "kaisa") if isinstance(v, str) and v.startswith("$argon2id$")]
    assert stored != old and stored.startswith(OWASP_MINIMUM)
    assert signin.authenticate(settings, "kaisa", PASSWORD, now=T0).username == "kaisa"


@pytest.mark.parametrize(
    ("password", "key"),
    [
        ("short", "accounts.password_too_short"),
        ("x" * 1025, "accounts.password_too_long"),
        ("Kaisa-Virtanen", "accounts.password_is_username"),
    ],
)
def test_password_rules(settings, password, key):
    with pytest.raises(InputError) as refused:
        accounts.add_user(
            settings, Caller("boss", Role.ADMIN), username="kaisa-virtanen", password=password, role="coordinator"
        )
    assert refused.value.key == key
    assert account_store.get_account(settings, "kaisa-virtanen") is None
