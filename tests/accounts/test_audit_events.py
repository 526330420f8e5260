"""Every sign-in, failed sign-in, lockout, sign-out and account change writes exactly one audit row."""

from datetime import UTC, datetime

import pytest

from etl.errors import BusyError
from etl.services import account_store, accounts, signin
from etl.services.access import AccessDenied, Caller, Role
from etl.services.signin import LoginFailed
from etl.warehouse import audit
from etl.warehouse.writer import flush_audit, writer_lock
from tests.accounts.helpers import audit_rows
from tests.signin import PASSWORD

T0 = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
ADMIN = Caller("boss", Role.ADMIN)
EVENTS = ("login", "lockout", "logout", "user_add", "user_disable", "user_enable", "user_reset")


def _add(settings, username="kaisa"):
    return accounts.add_user(settings, ADMIN, username=username, password=PASSWORD, role="coordinator")


def test_each_account_change_writes_one_row(settings):
    _add(settings)
    accounts.disable_user(settings, ADMIN, "kaisa")
    accounts.enable_user(settings, ADMIN, "kaisa")
    accounts.reset_password(settings, ADMIN, "kaisa", "another long password")
    assert audit_rows(settings, *EVENTS) == [
        ("boss", "user_add", "ok"),
        ("boss", "user_disable", "ok"),
        ("boss", "user_enable", "ok"),
        ("boss", "user_reset", "ok"),
    ]


def test_a_refused_change_writes_one_row_and_changes_nothing(settings):
    _add(settings)
    with pytest.raises(AccessDenied):
        accounts.disable_user(settings, Caller("intruder", Role.MEMBER, "x"), "kaisa")
    with pytest.raises(AccessDenied):
        accounts.add_user(settings, None, username="x1", password=PASSWORD, role="admin")
    assert audit_rows(settings, *EVENTS) == [
        ("boss", "user_add", "ok"),
        ("intruder", "user_disable", "denied"),
        ("anonymous", "user_add", "denied"),
    ]
    assert account_store.get_account(settings, "kaisa").disabled is False


def test_sign_in_failures_lockout_and_sign_out(settings):
    _add(settings)
    signin.authenticate(settings, "kaisa", PASSWORD, now=T0)
    with pytest.raises(LoginFailed):
        signin.authenticate(settings, "nobody", "whatever it is", now=T0)
    for _ in range(5):
        with pytest.raises(LoginFailed):
            signin.authenticate(settings, "kaisa", "wrong password", now=T0)
    with pytest.raises(LoginFailed):
        signin.authenticate(settings, "kaisa", PASSWORD, now=T0)  # locked
    signin.record_sign_out(settings, Caller("kaisa", Role.COORDINATOR))
    rows = audit_rows(settings, *EVENTS)
    assert rows == [
        ("boss", "user_add", "ok"),
        ("kaisa", "login", "ok"),
        ("nobody", "login", "failed"),
        *[("kaisa", "login", "failed")] * 5,
        ("kaisa", "lockout", "locked"),
        ("kaisa", "login", "failed"),
        ("kaisa", "logout", "ok"),
    ]


def test_failed_rows_say_why_for_the_coordinator(settings):
    import duckdb

    _add(settings)
    with pytest.raises(LoginFailed):
        signin.authenticate(settings, "nobody", "whatever it is", now=T0)
    with pytest.raises(LoginFailed):
        signin.authenticate(settings, "kaisa", "wrong password", now=T0)
    audit_rows(settings, "login")
    con = duckdb.connect(str(settings.warehouse_path), read_only=True)
    reasons = con.execute("SELECT detail->>'reason' FROM audit_log WHERE action = 'login' ORDER BY id").fetchall()
    con.close()
    assert reasons == [("unknown_user",), ("wrong_password",)]


def test_a_busy_warehouse_keeps_the_rows_in_the_spool_until_a_writer_is_free(settings):
    _add(settings)
    audit_rows(settings, *EVENTS)
    with writer_lock(settings, "a long load"):
        signin.authenticate(settings, "kaisa", PASSWORD, now=T0)  # signing in never waits for the writer
        assert len(audit.pending(settings)) == 1
        with pytest.raises(BusyError):
            from etl.warehouse.writer import writer

            with writer(settings):
                pass
        assert flush_audit(settings) == 0
    assert flush_audit(settings) == 1
    assert audit_rows(settings, "login") == [("kaisa", "login", "ok")]


def test_a_sign_in_may_leave_its_row_to_the_caller_to_move(settings):
    _add(settings)
    audit_rows(settings, *EVENTS)
    signin.authenticate(settings, "kaisa", PASSWORD, now=T0, flush_log=False)  # the dashboard's way
    assert len(audit.pending(settings)) == 1  # not waiting for the writer
    assert audit_rows(settings, "login") == [("kaisa", "login", "ok")]


def test_a_flush_with_nothing_spooled_does_not_open_the_warehouse(settings):
    assert flush_audit(settings) == 0
    assert not settings.warehouse_path.exists()


def test_the_log_stays_sealed(settings):
    import duckdb

    _add(settings)
    signin.authenticate(settings, "kaisa", PASSWORD, now=T0)
    audit_rows(settings, *EVENTS)
    con = duckdb.connect(str(settings.warehouse_path), read_only=True)
    assert audit.verify(con) == []
    con.close()
