"""Moving through the sidebar, Who, Pathways and Forms open on the latest year: never on a year another page left.

They share the URL key `year`. Before the fix, every second visit opened on 2016 (the first
option) and wrote ?year=2016 into the address: an advocate could quote 2016 figures as current.
"""

from __future__ import annotations

import pytest

from bench.harness.browser import TIMEOUT_MS, idle, open_page, sign_in, wait_heading
from etl.demo.fiction import LAST_YEAR
from etl.i18n import t
from tests.e2e.conftest import demo_account

pytestmark = pytest.mark.e2e
ROUTE = ["who", "pathways", "who", "forms", "pathways", "who", "forms"]


def _go(page, name: str) -> None:
    page.locator('[data-testid="stSidebarNav"]').get_by_role("link", name=t(f"nav.{name}", "fi")).click()
    wait_heading(page, t(f"{name}.title", "fi"))
    idle(page)


def _year_shown(page) -> str:
    box = page.locator('[data-testid="stMain"] [data-testid="stSelectbox"]').first
    box.wait_for(timeout=TIMEOUT_MS)
    return box.get_by_role("combobox").input_value()


def test_each_page_opens_on_the_latest_year_whichever_page_came_before(dashboard, page):
    member = demo_account("member")
    open_page(page, dashboard.url)
    sign_in(page, member.username, member.password, "fi")
    seen = []
    for name in ROUTE:
        _go(page, name)
        seen.append((name, _year_shown(page), "year=" in page.url))
    assert seen == [(name, str(LAST_YEAR), False) for name in ROUTE]


def test_a_year_chosen_on_a_page_stays_while_the_page_is_used_and_a_link_keeps_it(dashboard, page):
    member = demo_account("member")
    open_page(page, dashboard.url)
    sign_in(page, member.username, member.password, "fi")
    _go(page, "who")
    page.locator('[data-testid="stMain"] [data-testid="stSelectbox"]').first.get_by_role("combobox").click()
    page.get_by_role("option", name=str(LAST_YEAR - 2), exact=True).click()
    page.wait_for_url(f"**year={LAST_YEAR - 2}**", timeout=TIMEOUT_MS)
    idle(page)
    assert _year_shown(page) == str(LAST_YEAR - 2)
    _go(page, "pathways")  # another page: its own latest year, not the one chosen on Who
    assert _year_shown(page) == str(LAST_YEAR)
