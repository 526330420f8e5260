"""Trends as a visitor uses it (issue 17, point 3), in Chromium on the public dashboard.

By form of exploitation, as shares in stacked bars: the groups drawn and "Other and hidden"
make each year's stack the whole, the legend names it, and the period-kind control stays
when a breakdown is chosen.
"""

from __future__ import annotations

from collections import defaultdict

import pytest
from playwright.sync_api import expect

from bench.harness.browser import TIMEOUT_MS, charts, open_page, screenshot, wait_heading
from etl.i18n import t

pytestmark = pytest.mark.e2e
LANG = "en"


def test_shares_by_form_stack_to_the_whole_with_other_and_hidden(public_dashboard, page):
    open_page(page, f"{public_dashboard.url}/trends?lang={LANG}&m=PERS_NEW&b=exploitation_form&u=pct&g=bars")
    wait_heading(page, t("trends.title", LANG))
    (traces,) = charts(page)
    # The heading is drawn before the filters, so under load the control may still be on its way: wait for it.
    expect(page.get_by_text(t("trends.period", LANG), exact=True)).to_have_count(
        1, timeout=TIMEOUT_MS
    )  # years / half-years stays
    bars = [trace for trace in traces if trace["type"] == "bar"]
    other = t("trends.other_groups", LANG)
    assert other in [trace["name"] for trace in bars]
    stacks: dict[str, list[float]] = defaultdict(list)
    for trace in bars:
        for x, y in zip(trace["x"], trace["y"], strict=True):
            if y not in ("", "null", "NaN", "undefined"):
                stacks[x].append(float(y))
    rest = next(trace for trace in bars if trace["name"] == other)
    years = [x for x, y in zip(rest["x"], rest["y"], strict=True) if y not in ("", "null", "NaN", "undefined")]
    assert len(years) >= 5
    for year in years:  # each share rounded on its own: off by at most half a point each
        assert abs(sum(stacks[year]) - 100) <= len(stacks[year]) / 2, (year, stacks[year])
    screenshot(page, "visitor-trends-shares")
