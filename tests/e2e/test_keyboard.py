"""A chart's numbers by keyboard alone (issue 17, point 8): Tab to "Show the numbers as a table", open it, Tab
into the table, whose cells are in the accessibility tree (role grid, rows and cells) for screen readers.

Plotly draws to SVG and canvas that a keyboard cannot enter; what the chart says is in its
text summary and in this table, both reached without a mouse.
"""

from __future__ import annotations

import pytest

from bench.harness.browser import TIMEOUT_MS, idle, open_page, sign_in, wait_heading
from etl.i18n import t
from tests.e2e.conftest import demo_account

pytestmark = pytest.mark.e2e
LANG = "en"
MAX_TABS = 120  # far more than the Overview's controls before its first chart's table


def _tab_until(page, script: str) -> int:
    """Press Tab until `script` (run on document.activeElement) is true; how many presses it took."""
    for presses in range(1, MAX_TABS + 1):
        page.keyboard.press("Tab")
        if page.evaluate(f"() => {{ const e = document.activeElement; return Boolean({script}); }}"):
            return presses
    raise AssertionError(f"not reached in {MAX_TABS} presses of Tab: {script}")


def test_the_first_charts_numbers_are_reached_and_read_by_keyboard(dashboard, page):
    member = demo_account("member")
    open_page(page, f"{dashboard.url}/?lang={LANG}")
    sign_in(page, member.username, member.password, LANG)
    wait_heading(page, t("overview.title", LANG))
    page.locator("h1").first.click()  # start from the top of the page, as a reader who just arrived
    show = t("common.show_table", LANG)
    _tab_until(page, f"e.tagName === 'SUMMARY' && e.innerText.includes({show!r})")
    page.keyboard.press("Enter")
    idle(page)
    _tab_until(page, "e.closest('[data-testid=stDataFrame]')")
    grid = page.locator('[data-testid="stMain"] [data-testid="stDataFrame"] [role="grid"]').first
    grid.wait_for(state="attached", timeout=TIMEOUT_MS)
    cells = grid.locator('[role="gridcell"]')
    assert cells.count() > 0
    texts = [cells.nth(i).inner_text() for i in range(min(cells.count(), 40))]
    assert any(text.strip() for text in texts), texts
