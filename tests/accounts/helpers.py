"""Shared by the account tests: audit rows as the warehouse holds them after a flush, the Users page."""

from __future__ import annotations

import threading
from pathlib import Path

import duckdb
from streamlit.testing.v1 import AppTest

from dashboard import auth
from etl.config import Settings
from etl.services.access import Role
from etl.warehouse import audit
from etl.warehouse.writer import flush_audit
from tests.signin import signed_in

APP = str(Path(__file__).resolve().parents[2] / "dashboard" / "app.py")


def dashboard_flushes_done() -> None:
    """Wait for the audit flushes a sign-in on the page started beside its run (dashboard/auth.py)."""
    for thread in threading.enumerate():
        if thread.name == auth.FLUSH_THREAD:
            thread.join(timeout=60)


def audit_rows(settings: Settings, *actions: str) -> list[tuple[str, str, str]]:
    """(actor, action, outcome) of every row of `actions`, oldest first, after moving the spool in."""
    dashboard_flushes_done()
    flush_audit(settings)
    assert audit.pending(settings) == [], "the spool should be empty after a flush with the writer free"
    if not settings.warehouse_path.is_file():
        return []
    con = duckdb.connect(str(settings.warehouse_path), read_only=True)
    try:
        return [
            (str(a), str(b), str(c))
            for a, b, c in con.execute(
                "SELECT actor, action, outcome FROM audit_log WHERE list_contains(?, action) ORDER BY id",
                [list(actions)],
            ).fetchall()
        ]
    finally:
        con.close()


def users_page(settings: Settings) -> AppTest:
    """The Users page in English, run for a signed-in coordinator."""
    at = signed_in(AppTest.from_file(APP, default_timeout=120), settings, Role.COORDINATOR)
    at.query_params["lang"] = "en"
    at.run()
    at.switch_page("app_pages/users.py").run()
    assert not at.exception
    return at
