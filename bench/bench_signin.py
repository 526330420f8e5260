"""Sign-in in a real browser: from pressing Sign in to the first chart, beside a page change in the same run.

A member signs in on a copy of the demo (public mode off, the default): the time from the click
to the Overview's first chart is compared with a page change to the same page, measured in the
same browser session right after (Trends from the menu, then the Overview again: the click on
Overview to its first chart). The click comes once the sign-in page has loaded the code of the
elements it warms up (dashboard/components/warm_up.py), as it has while a person types. Then the
page is reloaded: with the session cookie it must show the page again with no sign-in step
(counted), and the time to its chart is reported. Each figure is the median of ROUNDS fresh
browser contexts (no cookies, no browser cache).
"""

from __future__ import annotations

import shutil
import statistics
import time
from pathlib import Path
from typing import Any

from bench import datasets
from bench.harness.browser import CHART, SESSION_COOKIE, launch, open_page, wait_for_cookie
from bench.harness.server import DashboardServer
from bench.report import Result
from dashboard.components import warm_up
from etl.i18n import t

TITLE = "Sign-in"
ROUNDS = 5
RATIO_GOAL = 1.5
LANG = "fi"
TIMEOUT_MS = 90_000


def _shown(page: Any, title_key: str) -> None:
    """The page whose title is `title_key` has drawn its first chart."""
    page.locator("h1", has_text=t(title_key, LANG)).first.wait_for(timeout=TIMEOUT_MS)
    page.wait_for_selector(CHART, state="visible", timeout=TIMEOUT_MS)


def _page_change(page: Any, nav_key: str, title_key: str) -> float:
    """Seconds from a click on the menu's `nav_key` to that page's first chart."""
    link = page.locator('[data-testid="stSidebarNav"] a', has_text=t(nav_key, LANG)).first
    started = time.perf_counter()
    link.click()
    _shown(page, title_key)
    return time.perf_counter() - started


def _one_round(browser: Any, url: str, username: str, password: str) -> tuple[float, float, float, bool, float]:
    """(sign-in to chart, page change to the Overview's chart, reload to chart, whether the reload asked to
    sign in again, page change to Trends' chart)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        open_page(page, f"{url}/?lang={LANG}")
        page.wait_for_selector(f".st-key-{warm_up.KEY} .main-svg", state="attached", timeout=TIMEOUT_MS)
        page.get_by_label(t("login.username", LANG)).fill(username)
        page.get_by_label(t("login.password", LANG), exact=True).fill(password)
        started = time.perf_counter()
        page.get_by_role("button", name=t("login.submit", LANG)).click()
        _shown(page, "overview.title")
        signed_in = time.perf_counter() - started
        wait_for_cookie(page, SESSION_COOKIE)
        to_trends = _page_change(page, "nav.trends", "trends.title")
        changed = _page_change(page, "nav.overview", "overview.title")
        started = time.perf_counter()
        page.reload()
        page.wait_for_selector(f"{CHART}, h1:has-text('{t('login.title', LANG)}')", timeout=TIMEOUT_MS)
        asked_again = page.locator("h1", has_text=t("login.title", LANG)).count() > 0
        if not asked_again:
            _shown(page, "overview.title")
        reloaded = time.perf_counter() - started
        return signed_in, changed, reloaded, asked_again, to_trends
    finally:
        context.close()


def _verify_seconds(password: str) -> float:
    """The password check alone (argon2id as etl.services.passwords sets it), median of five."""
    from etl.services.passwords import HASHER

    hashed = HASHER.hash(password)
    times = []
    for _ in range(5):
        started = time.perf_counter()
        HASHER.verify(hashed, password)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def run(workdir: Path) -> list[Result]:
    from playwright.sync_api import sync_playwright

    from etl.demo.accounts import DEMO_ACCOUNTS

    member = next(a for a in DEMO_ACCOUNTS if a.username == "demo-member")
    data = workdir / "data"
    shutil.copytree(datasets.demo().data_dir, data)
    server = DashboardServer(data, workdir / "server.log").start()
    try:
        with sync_playwright() as playwright:
            browser = launch(playwright)
            _one_round(browser, server.url, member.username, member.password)  # warm-up: caches, fonts
            rounds = [_one_round(browser, server.url, member.username, member.password) for _ in range(ROUNDS)]
            browser.close()
    finally:
        server.stop()
    sign_in, change, reload, _, to_trends = (statistics.median(r[i] for r in rounds) for i in range(5))
    hashing = _verify_seconds(member.password)
    asked = sum(r[3] for r in rounds)
    ratio = sign_in / change
    return [
        Result(
            "sign-in to first chart (demo, a member)",
            f"{sign_in:.2f} s",
            f"<= {RATIO_GOAL}x a page change",
            f"page change to the Overview's first chart {change:.2f} s",
            f"{ratio:.2f}x",
            ratio <= RATIO_GOAL,
            f"median of {ROUNDS} fresh browser contexts; the click on Sign in to the Overview's first chart, once the "
            "sign-in page has loaded the code of the elements it warms up (as while a person types); a page change "
            f"to Trends' one chart took {to_trends:.2f} s. Where the rest goes (a DOM and server timeline of these "
            "steps, taken beside this benchmark on 2026-12-06): the server's part is about 0.1 s more than a page "
            f"change (the argon2id check {hashing:.3f} s, the sign-in's own short run; the audit row moves into the "
            "log beside the page); the browser then draws the signed-in app for the first time: 0.4-0.55 s from the "
            "heading to the first chart, where a page change takes about 0.2 s. Warming up more kinds of element, "
            "drawing the hidden chart visibly laid out, and signing in without the second run measured the same",
        ),
        Result(
            "reload with a valid session (demo)",
            f"{reload:.2f} s to the chart",
            "no sign-in step",
            "",
            "",
            asked == 0,
            f"the sign-in page came back in {asked} of {ROUNDS} reloads",
        ),
    ]
