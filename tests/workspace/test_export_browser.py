"""In Chromium against a real server: one click on a download is one file and exactly one audit row.

AppTest cannot click a download (the browser asks the server for the file, and the
server runs the button's callable then), so this is where "once per download" is
proven end to end: the deferred-file request runs the callable once per click.
"""

import time
from pathlib import Path

import pytest

from bench.harness.browser import IDLE, launch
from bench.harness.server import DashboardServer
from etl.i18n import t
from tests.signin import PASSWORD
from tests.workspace.helpers import audit_rows, last_audit_id

pytestmark = pytest.mark.e2e
READY = IDLE


@pytest.fixture
def server(ws, tmp_path):
    with DashboardServer(ws.data_dir, tmp_path / "dashboard.log") as dashboard:  # the e2e suite's server
        yield dashboard.url


@pytest.fixture
def page():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch(playwright)
        yield browser.new_page(accept_downloads=True)
        browser.close()


def _settle(page):
    page.wait_for_timeout(300)
    page.wait_for_selector(READY, timeout=60_000)


def _rows_when_settled(ws, start, expected, seconds=20.0):
    """The export rows once they reached `expected` (or the time ran out), read again a moment later.

    The server writes the row right after making the file (audit_rows waits while it holds the warehouse).
    """
    deadline = time.monotonic() + seconds
    rows: list = []
    while time.monotonic() < deadline:
        rows = audit_rows(ws, start, "export")
        if rows == expected:
            time.sleep(1.0)  # nothing more arrives for the same click
            return audit_rows(ws, start, "export")
        time.sleep(0.2)
    return rows


def test_one_click_on_the_audit_download_is_one_file_and_one_row(ws, server, page):
    page.goto(f"{server}/audit?lang=en")
    _settle(page)
    page.get_by_label(t("login.username", "en")).fill("test-coordinator")
    page.get_by_label(t("login.password", "en"), exact=True).fill(PASSWORD)
    page.get_by_role("button", name=t("login.submit", "en")).click()
    _settle(page)
    page.wait_for_selector(f"h1:has-text('{t('workspace.audit.title', 'en')}')", timeout=60_000)
    _settle(page)
    start = last_audit_id(ws)
    button = page.get_by_role("button", name=t("workspace.audit.download", "en"))
    for click in (1, 2):
        with page.expect_download(timeout=60_000) as info:
            button.click()
        download = info.value
        assert download.suggested_filename.startswith("tilannekuva-audit-")
        body = Path(download.path()).read_text(encoding="utf-8")
        assert body.splitlines()[0].startswith(t("workspace.audit.column_id", "en"))
        expected = [("test-coordinator", "export", "ok")] * click
        assert _rows_when_settled(ws, start, expected) == expected
