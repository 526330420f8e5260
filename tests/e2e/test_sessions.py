"""Signed in once, in Chromium (issue 16, point 1): a reload, a new tab and a pasted link keep the session.

Signing out in one tab signs the other out at its next step; a disabled account's cookie
opens nothing; the cookie is HttpOnly and SameSite=Lax, so the page's scripts never read it.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from bench.harness.browser import (
    SESSION_COOKIE,
    TIMEOUT_MS,
    choose_language,
    idle,
    open_page,
    sign_in,
    wait_for_cookie,
    wait_heading,
)
from etl.config import Settings
from etl.i18n import t
from etl.services import accounts
from etl.services.access import Role
from tests.e2e.conftest import demo_account
from tests.signin import CREATOR, PASSWORD, make_account

pytestmark = pytest.mark.e2e


def test_reload_new_tab_and_pasted_link_keep_the_session_and_sign_out_ends_it_everywhere(dashboard, page):
    member = demo_account("member")
    open_page(page, f"{dashboard.url}/?lang=en")
    sign_in(page, member.username, member.password, "en")
    wait_heading(page, t("overview.title", "en"))
    cookie = wait_for_cookie(page, SESSION_COOKIE)
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax" and cookie["path"] == "/"
    assert page.evaluate("document.cookie").find(SESSION_COOKIE) == -1  # scripts cannot read it

    page.reload()
    wait_heading(page, t("overview.title", "en"))  # no sign-in step

    other = page.context.new_page()
    open_page(other, f"{dashboard.url}/trends?lang=en&m=PERS_NEW")  # a pasted link, in a new tab
    wait_heading(other, t("trends.title", "en"))

    page.locator('[data-testid="stSidebar"]').get_by_role("button", name=t("auth.sign_out", "en")).click()
    wait_heading(page, t("login.title", "en"))

    choose_language(other, "sv")  # the other tab's next step
    wait_heading(other, t("login.title", "sv"))
    expect(other.get_by_text(t("login.session_ended", "sv"), exact=True)).to_be_visible(timeout=TIMEOUT_MS)
    other.reload()
    idle(other)
    wait_heading(other, t("login.title", "sv"))  # and its cookie opens nothing any more


def test_a_disabled_accounts_cookie_opens_nothing(dashboard, page):
    settings = Settings(data_dir=dashboard.data_dir)
    make_account(settings, Role.COORDINATOR, username="session-leaver")
    accounts.enable_user(settings, CREATOR, "session-leaver")
    open_page(page, f"{dashboard.url}/?lang=en")
    sign_in(page, "session-leaver", PASSWORD, "en")
    page.reload()
    idle(page)
    assert page.locator("h1").first.inner_text() != t("login.title", "en")

    accounts.disable_user(settings, CREATOR, "session-leaver")
    page.reload()
    wait_heading(page, t("login.title", "en"))
