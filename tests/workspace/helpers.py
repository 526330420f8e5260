"""Shared by the workspace tests: the app, who is who, files to upload, downloads and audit rows."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pytest
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest

from etl.config import Settings
from etl.services.access import Caller, Role
from etl.warehouse.writer import flush_audit
from tests.signin import signed_in

DASHBOARD = Path(__file__).resolve().parents[2] / "dashboard"
APP = str(DASHBOARD / "app.py")

MEMBER = Caller("test-member", Role.MEMBER, "demo-tuki")
REPORTER = Caller("test-reporter", Role.REPORTER, "demo-tyo")
COORDINATOR = Caller("test-coordinator", Role.COORDINATOR)
ADMIN = Caller("test-admin", Role.ADMIN)
ORG_OF = {Role.MEMBER: "demo-tuki", Role.REPORTER: "demo-tyo"}

HEADER = "organisation;period;measure;exploitation_form;value\n"


def long_file(org: str, period: str, total: int, lab: int, sex: int) -> bytes:
    """A small long-format CSV: new clients, in total and by two forms of exploitation."""
    rows = [
        f"{org};{period};PERS_NEW;;{total}",
        f"{org};{period};PERS_NEW;LAB;{lab}",
        f"{org};{period};PERS_NEW;SEX;{sex}",
    ]
    return (HEADER + "\n".join(rows) + "\n").encode()


# A run that hangs fails the test; a preview on the demo is not a hang. A file that leaves out tables a
# member sent before changes its groups and the year is protected from the start: a minute or more on 2
# cores beside the rest of the suite (the figure is issue 18's benchmark, not a test's).
SCRIPT_RUN_LIMIT = 600


def app(settings: Settings, role: Role | None = None, lang: str = "en") -> AppTest:
    at = AppTest.from_file(APP, default_timeout=SCRIPT_RUN_LIMIT)
    at.query_params["lang"] = lang
    if role is not None:
        signed_in(at, settings, role, ORG_OF.get(role))
    return at


def open_page(at: AppTest, page: str) -> AppTest:
    at.run()
    at.switch_page(f"app_pages/{page}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def menu(at: AppTest) -> set[str]:
    """URL paths of the pages of the last run's menu ("" is the default page)."""
    return {str(info.get("url_pathname")) for info in at._registered_pages.values()}


def last_audit_id(settings: Settings) -> int:
    flush_audit(settings)
    return int(warehouse_rows(settings, "SELECT coalesce(max(id), 0) FROM audit_log")[0][0])


def audit_rows(settings: Settings, after: int, *actions: str) -> list[tuple[str, str, str]]:
    """(actor, action, outcome) of the rows after id `after` (of `actions`, or all), oldest first, after a flush."""
    flush_audit(settings)
    con = _read_only(settings)
    try:
        rows = con.execute(
            "SELECT actor, action, outcome FROM audit_log WHERE id > ? AND (len(?) = 0 OR list_contains(?, action)) "
            "ORDER BY id",
            [after, list(actions), list(actions)],
        ).fetchall()
    finally:
        con.close()
    return [(str(a), str(b), str(c)) for a, b, c in rows]


def warehouse_rows(settings: Settings, sql: str, params: list | None = None) -> list[tuple]:
    con = _read_only(settings)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def _read_only(settings: Settings, seconds: float = 20.0) -> duckdb.DuckDBPyConnection:
    """The warehouse for reading, once a running dashboard's write (a sign-in's audit flush) let go of it."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            return duckdb.connect(str(settings.warehouse_path), read_only=True)
        except duckdb.IOException as exc:
            if "lock" not in str(exc).lower() or time.monotonic() > deadline:
                raise
            time.sleep(0.1)


@contextmanager
def captured_downloads(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, Callable[[], object]]]:
    """The `data` callables of the download buttons rendered meanwhile, by file name.

    Streamlit keeps a deferred download's callable in its media file manager and
    calls it when the browser asks for the file (a click). AppTest cannot click a
    download, so a test calls the captured callable as the server would.
    """
    found: dict[str, Callable[[], object]] = {}
    original = MediaFileManager.add_deferred

    def capture(self, data_callable, mimetype, coordinates, file_name=None, **kwargs):
        found[str(file_name)] = data_callable
        return original(self, data_callable, mimetype, coordinates, file_name=file_name, **kwargs)

    monkeypatch.setattr(MediaFileManager, "add_deferred", capture)
    yield found
