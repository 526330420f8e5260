"""The coordinator's weekly task in Chromium (issue 17, point 5): land on what waits, preview, confirm, approve.

A reporter's upload waits for approval. The coordinator signs in and lands on the
workspace home, which names it; the link opens Submissions on that member's upload;
the preview shows what approving changes; approving asks for a tick first, then
publishes a new data version and links to the Overview at that version.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from bench.harness.browser import (
    PROTECTION_TIMEOUT_MS,
    heading,
    idle,
    open_page,
    screenshot,
    sign_in,
    tables,
    wait_heading,
)
from bench.harness.server import DashboardServer
from dashboard.app_pages.helpers import home
from etl.config import Settings
from etl.i18n import t
from etl.publish import snapshots
from etl.services import workflow
from etl.services.access import Caller, Role
from tests.e2e.conftest import demo_account
from tests.workspace.helpers import long_file

pytestmark = pytest.mark.e2e
LANG, ORG, ORG_LABEL = "en", "demo-tyo", "Fair Work Advice (demo) (demo-tyo)"


def test_the_coordinator_lands_on_what_waits_previews_and_approves(e2e_data_dir: Path, tmp_path, page):
    data_dir = tmp_path / "data"
    shutil.copytree(e2e_data_dir, data_dir)
    settings = Settings(data_dir=data_dir)
    half, _ = home.due_periods(date.today())
    reporter = Caller("a-reporter", Role.REPORTER, ORG)
    workflow.upload(settings, reporter, long_file(ORG, half, 41, 31, 10), "tyo.csv", ORG, half)
    workflow.submit(settings, reporter, ORG, half)
    before = snapshots.current(settings).version

    with DashboardServer(data_dir, tmp_path / "streamlit.log") as server:
        coordinator = demo_account("coordinator")
        open_page(page, f"{server.url}/?lang={LANG}")
        sign_in(page, coordinator.username, coordinator.password, LANG)
        assert heading(page) == t("workspace.home.title", LANG)  # staff land on what waits
        headers = page.locator('[data-testid="stMain"] [data-testid="stDataFrame"] [role="columnheader"]')
        headers.filter(has_text=t("workspace.history.file_name", LANG)).first.wait_for(state="attached")
        waiting = [rows for rows in tables(page) if t("workspace.history.file_name", LANG) in rows[0]]
        assert [row[:4] for row in waiting[0][1:]] == [[ORG_LABEL, half, "1", "tyo.csv"]], waiting
        screenshot(page, "staff-home")

        page.get_by_role("link", name=t("workspace.home.to_submissions", LANG)).click()
        wait_heading(page, t("workspace.submissions.title", LANG))
        box = page.get_by_role("combobox", name=t("workspace.upload.organisation", LANG), exact=True)
        box.click()
        page.keyboard.type(ORG)  # the list shows its first options only: type to find the member, as people do
        page.get_by_role("option", name=ORG_LABEL, exact=True).click()
        page.get_by_role("strong").filter(has_text=t("workspace.state.pending", LANG)).wait_for()  # "Now: waiting"
        idle(page)
        page.get_by_role("button", name=t("workspace.submissions.preview", LANG)).click()
        page.get_by_text(t("workspace.preview.network_title", LANG)).wait_for(timeout=PROTECTION_TIMEOUT_MS)
        screenshot(page, "staff-approval-preview")

        approve = page.get_by_role("button", name=t("workspace.submissions.approve", LANG))
        approve.click()
        page.get_by_text(t("workspace.submissions.confirm_first", LANG)).wait_for()
        assert snapshots.current(settings).version == before  # nothing published without the tick
        page.get_by_text(t("workspace.upload.confirm", LANG, org=ORG, period=half), exact=True).click()
        approve.click()
        link = t("workspace.upload.published_link", LANG, version=str(before + 1), language=LANG)
        with page.context.expect_page() as opened:  # Streamlit opens a text's links in a new tab
            page.get_by_role("link", name=link.split("]")[0].lstrip("[")).click(timeout=PROTECTION_TIMEOUT_MS)
        result = opened.value
        # A new tab is a new Streamlit session, still signed in (the browser session): the Overview of that version
        result.wait_for_selector("h1", timeout=PROTECTION_TIMEOUT_MS)
        wait_heading(result, t("overview.title", LANG))
        assert f"v={before + 1}" in result.url
        result.close()
        assert snapshots.current(settings).version == before + 1
