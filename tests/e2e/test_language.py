"""A member switches to Swedish, copies the address, and reloading it gives the same view in Swedish.

Reloading starts a new Streamlit session, so the member signs in again (in Swedish,
because the address says so) and lands on the same page with the same figures.
"""

from __future__ import annotations

import pytest

from bench.harness.browser import (
    CHART,
    TIMEOUT_MS,
    charts,
    choose_language,
    heading,
    main_text,
    open_page,
    screenshot,
    sign_in,
    wait_heading,
)
from etl.i18n import t
from tests.e2e.conftest import demo_account

pytestmark = pytest.mark.e2e


def _view(page) -> tuple[str, str, list]:
    """What the reader sees: the heading, the text of the page, and the data of its charts."""
    page.wait_for_selector(CHART, timeout=TIMEOUT_MS)
    return heading(page), main_text(page), charts(page)


def test_a_member_switches_to_swedish_and_the_copied_url_reopens_the_same_view(dashboard, page):
    member = demo_account("member")
    open_page(page, dashboard.url)
    sign_in(page, member.username, member.password, "fi")
    wait_heading(page, t("overview.title", "fi"))
    finnish = _view(page)

    choose_language(page, "sv")
    wait_heading(page, t("overview.title", "sv"))
    swedish = _view(page)
    assert swedish != finnish and t("common.caveat", "sv") in swedish[1]
    copied = page.url
    assert "lang=sv" in copied

    open_page(page, copied)  # a new Streamlit session, still signed in (the browser session's cookie)
    wait_heading(page, t("overview.title", "sv"))
    assert _view(page) == swedish
    assert page.url == copied
    screenshot(page, "member-swedish-reload")
