"""Who reaches which page from a typed or pasted address: members, visitors with and without public mode.

Every page of dashboard/app.py is tried by URL (tests/e2e/pages.py reads the list),
so the pages other branches add are covered as soon as their files exist.
"""

from __future__ import annotations

import io
import json
import urllib.error
import urllib.request

import pytest
from PIL import Image

from bench.harness.browser import CHART, TIMEOUT_MS, heading, main_text, menu, open_page, screenshot, sign_in
from etl.config import Settings
from etl.i18n import t
from etl.publish import snapshots
from etl.services.access import Role
from tests.e2e.conftest import demo_account
from tests.e2e.pages import hidden_from, title, visible_to

pytestmark = pytest.mark.e2e
LANG = "en"


def test_a_member_opening_a_coordinator_page_by_url_is_refused(dashboard, page):
    member = demo_account("member")
    refused = hidden_from(Role.MEMBER)
    assert {"upload", "users", "submissions"} <= {p.url_path for p in refused}
    open_page(page, f"{dashboard.url}/?lang={LANG}")
    sign_in(page, member.username, member.password, LANG)
    for target in refused:
        open_page(page, f"{dashboard.url}/{target.url_path}?lang={LANG}")  # a typed address: still signed in
        # The page does not exist for a member: Streamlit opens the member's default page instead.
        assert heading(page) == t("overview.title", LANG), target
        assert menu(page) == [title(p, LANG) for p in visible_to(Role.MEMBER)]
        assert title(target, LANG) not in menu(page)
        assert "demo-coordinator" not in main_text(page)  # nothing of the account list leaks
    screenshot(page, "member-refused-coordinator-page")


def test_a_visitor_in_public_mode_sees_only_the_public_pages(public_dashboard, page):
    public = visible_to(Role.PUBLIC)
    assert [p.url_path for p in public][:1] == ["overview"]
    open_page(page, f"{public_dashboard.url}/?lang={LANG}")
    assert heading(page) == t("overview.title", LANG)
    page.wait_for_selector(CHART, timeout=TIMEOUT_MS)
    assert menu(page) == [title(p, LANG) for p in public] + [t("accounts.nav_login", LANG)]
    for target in hidden_from(Role.PUBLIC):
        open_page(page, f"{public_dashboard.url}/{target.url_path}?lang={LANG}")
        assert heading(page) == t("overview.title", LANG), target  # not found for a visitor: the default page
        assert title(target, LANG) not in menu(page)
        assert "demo-coordinator" not in main_text(page)
    open_page(page, f"{public_dashboard.url}/?lang={LANG}")
    page.wait_for_selector(CHART, timeout=TIMEOUT_MS)
    screenshot(page, "visitor-public-mode")


def test_a_visitor_without_public_mode_sees_only_the_sign_in_page(dashboard, page):
    for path in ["", *[p.url_path for p in visible_to(Role.MEMBER) + hidden_from(Role.MEMBER)]]:
        open_page(page, f"{dashboard.url}/{path}?lang={LANG}")
        assert heading(page) == t("login.title", LANG), path
        assert menu(page) == []
        # No figure is seen (the sign-in page's hidden warm-up has an empty chart and a blank metric)
        assert page.locator('[data-testid="stPlotlyChart"]:visible').count() == 0
        assert page.locator('[data-testid="stMetric"]:visible').count() == 0
    screenshot(page, "visitor-without-public-mode")


def test_the_health_check_answers_without_signing_in_and_names_the_version(dashboard):
    served = snapshots.current(Settings(data_dir=dashboard.data_dir))
    assert served is not None
    with urllib.request.urlopen(f"{dashboard.url}/healthz", timeout=30) as answer:
        assert answer.status == 200
        assert json.loads(answer.read())["version"] == served.version


def test_the_open_data_interface_asks_a_visitor_to_sign_in_and_answers_a_signed_in_browser(dashboard, page):
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(f"{dashboard.url}/api/v1/data?measure=PERS_NEW&lang=en", timeout=30)
    assert refused.value.code == 401
    member = demo_account("member")
    open_page(page, f"{dashboard.url}/?lang={LANG}")
    sign_in(page, member.username, member.password, LANG)
    answer = page.request.get(f"{dashboard.url}/api/v1/data?measure=PERS_NEW&format=json")  # with the browser's cookie
    assert answer.status == 200
    assert answer.json()["cells"] and all(cell["measure"] == "PERS_NEW" for cell in answer.json()["cells"])


def test_a_published_figure_link_opens_for_a_visitor_without_signing_in(dashboard, page):
    from dashboard.exports import public
    from etl.publish import public_figures
    from tests.exports.conftest import sample_exports

    exports = sample_exports("en")
    code = exports.ctx.figure_code
    image = io.BytesIO()
    Image.new("RGB", (4, 3), "white").save(image, "PNG")
    png = image.getvalue()
    files = {"figure.png": png, "figure.svg": b"<svg xmlns='http://www.w3.org/2000/svg'/>", "table.csv": exports.csv()}
    public_figures.publish(Settings(data_dir=dashboard.data_dir), "test", code, "en", files, public.meta(exports))
    page.goto(f"{dashboard.url}/f/{code}?lang=en")
    assert page.locator("h1").inner_text() == exports.spec.title
    assert page.locator("img").evaluate("image => image.complete && image.naturalWidth > 0")
    csv_answer = page.request.get(f"{dashboard.url}/f/{code}/table.csv?lang=en")
    assert csv_answer.status == 200 and csv_answer.body() == exports.csv()
