"""In Chromium against a real server: a deep link before sign-in, and what each role then reaches.

A fresh server matters: Streamlit decides per process whether it runs st.navigation
or a pages/ folder, and a deep link as the very first request is where a page file
could be run outside the role menu.
"""

import pytest

from bench.harness.browser import IDLE, launch
from bench.harness.server import DashboardServer
from etl.i18n import t
from tests.signin import PASSWORD

pytestmark = pytest.mark.e2e
READY = IDLE


@pytest.fixture
def server(loaded, tmp_path):
    with DashboardServer(loaded.data_dir, tmp_path / "dashboard.log") as dashboard:  # the e2e suite's server
        yield dashboard.url


@pytest.fixture
def page():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch(playwright)
        yield browser.new_page()
        browser.close()


def _settle(page):
    page.wait_for_timeout(300)
    page.wait_for_selector(READY, timeout=30_000)


def _heading(page) -> str:
    return page.locator("h1").first.inner_text()


def _sign_in(page, username):
    page.get_by_label(t("login.username", "en")).fill(username)
    page.get_by_label(t("login.password", "en"), exact=True).fill(PASSWORD)
    page.get_by_role("button", name=t("login.submit", "en")).click()
    _settle(page)
    page.wait_for_selector("h1:not(:has-text('" + t("login.title", "en") + "'))", timeout=30_000)


def test_a_deep_link_on_a_fresh_server_asks_to_sign_in_then_opens_the_page(server, page):
    page.goto(f"{server}/users?lang=en")  # the very first request this server gets
    _settle(page)
    assert _heading(page) == t("login.title", "en")
    assert page.locator('[data-testid="stSidebarNav"]').count() == 0  # no menu before sign-in
    _sign_in(page, "test-coordinator")
    assert _heading(page) == t("users.title", "en")
    assert page.url.startswith(f"{server}/users")


def test_the_browser_asks_nothing_of_another_site(server, page):
    """A visitor's address goes to this server only: no icon, font or script from elsewhere."""
    asked: list[str] = []
    page.on("request", lambda request: asked.append(request.url))
    page.goto(f"{server}/?lang=en")
    _settle(page)
    _sign_in(page, "test-member")
    page.wait_for_selector('[data-testid="stPlotlyChart"] .main-svg', timeout=30_000)
    assert any("/media/" in url for url in asked)  # the page icon, served here
    assert [url for url in asked if not url.startswith((server, "data:", "blob:"))] == []


def test_a_member_following_the_same_link_does_not_get_the_page(server, page):
    page.goto(f"{server}/users?lang=en")
    _settle(page)
    _sign_in(page, "test-member")
    assert _heading(page) == t("overview.title", "en")  # Streamlit says "page not found" and opens the default
    assert page.get_by_text(t("users.title", "en"), exact=True).count() == 0  # not in the menu either
