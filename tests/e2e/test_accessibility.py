"""axe-core on every page, in Finnish and English: no serious or critical violation (WCAG 2.1 AA rules).

axe-core's own script (axe-playwright-python ships the npm package's axe.min.js) runs in the
page after it has drawn, as the coordinator sees it (every page of the menu) and before sign-in.
A violation is reported with its rule, the element and axe's advice.
"""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

from bench.harness.browser import idle, open_page, sign_in
from dashboard.navigation import PAGES
from tests.e2e.conftest import demo_account

pytestmark = pytest.mark.e2e
SERIOUS = ("serious", "critical")


def _violations(page) -> list[str]:
    """Each serious or critical violation: rule, element and what axe says to fix."""
    found = Axe().run(page).response["violations"]
    return [
        f"{rule['id']} ({rule['impact']}): {node['target']} {node.get('failureSummary', '')}"
        for rule in found
        if rule["impact"] in SERIOUS
        for node in rule["nodes"]
    ]


@pytest.mark.parametrize("lang", ["fi", "en"])
def test_no_page_has_a_serious_accessibility_violation(dashboard, page, lang):
    open_page(page, f"{dashboard.url}/?lang={lang}")
    found = {"login": _violations(page)}
    coordinator = demo_account("coordinator")
    sign_in(page, coordinator.username, coordinator.password, lang)
    for shown in PAGES:
        open_page(page, f"{dashboard.url}/{shown.url_path}?lang={lang}")
        idle(page)
        page.locator("h1").first.wait_for()
        found[shown.url_path] = _violations(page)
    assert {name: problems for name, problems in found.items() if problems} == {}
