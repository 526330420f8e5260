"""Driving the dashboard in Debian's Chromium with Playwright: launch, wait, sign in, language, screenshots.

Waiting: a Streamlit page is ready when `stApp` says its script is not running. After
an interaction that reruns the script, that attribute still says "notRunning" for a
moment before the rerun starts, so every helper here first waits for what the
interaction must change (a heading, the URL, a new button) and then for the app to
be idle: never a fixed sleep.
"""

from __future__ import annotations

import contextlib
import re
import shutil
import time
from pathlib import Path
from typing import Any

from playwright.sync_api import TimeoutError as PlaywrightTimeout

from bench.harness.server import ROOT
from dashboard.state import LANGUAGE_NAMES
from etl.i18n import LANGUAGES, t
from etl.services import web_sessions

CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]  # fmt: skip
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
RUNNING = '[data-testid="stApp"][data-test-script-state="running"]'
RERUN_START_MS = 3_000  # a rerun starts within a websocket round trip; longer means it already ended
CHART = '[data-testid="stPlotlyChart"] .main-svg'
TIMEOUT_MS = 90_000  # one step on a busy 2-core machine; a stuck page still fails in bounded time
# A preview or a publication protects again every year whose member groups changed, against every
# retained version (docs/disclosure.md): a file that leaves out a member's measures changes its
# like-for-like groups in every year, 2-5 min on a busy 2-core machine. A hang still fails.
PROTECTION_TIMEOUT_MS = 600_000
SESSION_COOKIE = web_sessions.COOKIE
ARTIFACTS = ROOT / "test-artifacts" / "e2e"
VIEWPORT = {"width": 1400, "height": 1000}  # wide enough that the sidebar stays open


def chromium_path() -> str:
    found = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(found).is_file():
        raise RuntimeError("Chromium is missing: apt-get install chromium (.ci/run does it)")
    return found


def launch(playwright: Any) -> Any:
    return playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)


def idle(page: Any, timeout: int = TIMEOUT_MS) -> None:
    """The script has finished its run (call after the change an interaction causes has appeared)."""
    page.wait_for_selector(IDLE, timeout=timeout)


def open_page(page: Any, url: str) -> None:
    """Navigate, then wait for the first run to finish and a heading to show."""
    page.goto(url, wait_until="domcontentloaded", timeout=TIMEOUT_MS)
    page.wait_for_selector("h1", timeout=TIMEOUT_MS)
    idle(page)


def wait_or_explain(page: Any, wanted: Any, timeout: int = TIMEOUT_MS) -> None:
    """Wait for `wanted` (a locator); when it does not come, fail with what the page says instead."""
    try:
        wanted.wait_for(timeout=timeout)
    except PlaywrightTimeout as error:
        raise AssertionError(f"waited {timeout // 1000} s; the page says:\n{main_text(page)}") from error


def heading(page: Any) -> str:
    return page.locator("h1").first.inner_text().strip()


def wait_heading(page: Any, text: str) -> None:
    """Wait until the page's first heading reads `text`, then until the run is over."""
    page.locator("h1").first.filter(has_text=re.compile(f"^{re.escape(text)}$")).wait_for(timeout=TIMEOUT_MS)
    idle(page)


def sign_in(page: Any, username: str, password: str, lang: str = "fi") -> None:
    """On the sign-in page shown in `lang`: fill the form, submit, wait for the page after it."""
    signing_in = t("login.title", lang)
    assert heading(page) == signing_in, f"expected the sign-in page, got {heading(page)!r}"
    page.get_by_label(t("login.username", lang)).fill(username)
    page.get_by_label(t("login.password", lang), exact=True).fill(password)
    page.get_by_role("button", name=t("login.submit", lang)).click()
    page.locator("h1").first.filter(has_not_text=signing_in).wait_for(timeout=TIMEOUT_MS)
    idle(page)
    wait_for_cookie(page, SESSION_COOKIE)  # the page asks for it in the background: a reload then stays signed in


def wait_for_cookie(page: Any, name: str, timeout: int = TIMEOUT_MS) -> dict[str, Any]:
    """The browser's cookie `name`, once it has been set."""
    deadline = time.monotonic() + timeout / 1000
    while time.monotonic() < deadline:
        found = [cookie for cookie in page.context.cookies() if cookie["name"] == name]
        if found:
            return dict(found[0])
        page.wait_for_timeout(100)
    raise AssertionError(f"the browser has no cookie {name} after {timeout // 1000} s")


def choose_language(page: Any, lang: str) -> None:
    """Click the language in the sidebar; wait until the URL says so (fi is the default: no ?lang=)."""
    assert lang in LANGUAGES
    choice = page.locator('[data-testid="stSidebar"]').get_by_role("radio", name=LANGUAGE_NAMES[lang], exact=True)
    choice.click()
    if lang == "fi":
        page.wait_for_url(lambda url: "lang=" not in url, timeout=TIMEOUT_MS)
    else:
        page.wait_for_url(re.compile(rf"[?&]lang={lang}\b"), timeout=TIMEOUT_MS)
    page.wait_for_function("(e) => e.getAttribute('aria-checked') === 'true'", arg=choice.element_handle())
    idle(page)


def menu(page: Any) -> list[str]:
    """The page titles of the sidebar menu ([] when there is none)."""
    links = page.locator('[data-testid="stSidebarNav"] a')
    texts = [links.nth(i).inner_text() for i in range(links.count())]
    return [text.strip().splitlines()[-1].strip() for text in texts]  # the label follows the icon's ligature


def main_text(page: Any) -> str:
    """Everything the main area says, as a person reads it, apart from the charts (see `charts`)."""
    return str(
        page.evaluate(
            """() => {
                const main = document.querySelector('[data-testid="stMain"]');
                const charts = [...main.querySelectorAll('[data-testid="stPlotlyChart"]')];
                charts.forEach((chart) => { chart.style.visibility = 'hidden'; chart.style.display = 'none'; });
                const text = main.innerText;
                charts.forEach((chart) => { chart.style.display = ''; chart.style.visibility = ''; });
                return text;
            }"""
        )
    )


def charts(page: Any) -> list[list[dict[str, Any]]]:
    """The data of every chart on the page (type, name, x, y of each trace), once plotly has drawn them."""
    page.wait_for_function(
        "() => { const plots = [...document.querySelectorAll('[data-testid=\"stPlotlyChart\"] .js-plotly-plot')];"
        " return plots.length > 0 && plots.every((p) => Array.isArray(p._fullData) && p._fullLayout); }",
        timeout=TIMEOUT_MS,
    )
    return list(
        page.evaluate(
            """() => [...document.querySelectorAll('[data-testid="stPlotlyChart"] .js-plotly-plot')].map((plot) =>
                plot._fullData.map((trace) => ({
                    type: trace.type || '', name: trace.name || '',
                    x: Array.from(trace.x || [], String), y: Array.from(trace.y || [], String),
                })))"""
        )
    )


def screenshot(page: Any, name: str) -> Path:
    """Save the whole page as test-artifacts/e2e/<name>.png (git-ignored; CI keeps the folder)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    # Streamlit scrolls inside its main area, so "full page" would be one screen: grow the window to fit.
    content = page.evaluate(
        "() => Math.max(...[...document.querySelectorAll('[data-testid=stMain], [data-testid=stMainBlockContainer]')]"
        ".map(e => e.scrollHeight), 0)"
    )
    page.set_viewport_size(
        {"width": VIEWPORT["width"], "height": max(VIEWPORT["height"], min(int(content) + 120, 6000))}
    )
    try:
        page.screenshot(path=str(path), full_page=True)
    finally:
        page.set_viewport_size(VIEWPORT)
    return path


def select_option(page: Any, label: str, option: str, attempts: int = 3) -> None:
    """Choose `option` (its whole text) in the selectbox labelled `label`; wait for the rerun it causes.

    On a busy machine the rerun of an earlier choice can end after this one and put the
    box back to its default (Streamlit resets a widget whose options changed). So: wait
    for this choice's rerun to start and end, then look at the box, and choose again
    if it no longer shows `option`, as a person would.
    """
    box = page.get_by_role("combobox", name=label, exact=True)
    for _attempt in range(attempts):
        box.click()
        page.get_by_role("option", name=option, exact=True).click()
        page.wait_for_function("([e, v]) => e.value === v", arg=[box.element_handle(), option], timeout=TIMEOUT_MS)
        rerun_started(page)
        idle(page)
        if box.input_value() == option:
            return
    raise AssertionError(f"{label}: the box went back from {option!r} to {box.input_value()!r} {attempts} times")


def rerun_started(page: Any, timeout: int = RERUN_START_MS) -> None:
    """Wait until the script runs (the rerun an interaction asked for); a run too short to see is no error."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    with contextlib.suppress(PlaywrightTimeout):
        page.wait_for_selector(RUNNING, timeout=timeout)


def upload_file(page: Any, path: Path) -> None:
    """Give the page's file uploader `path`, as choosing it in the file dialog does; wait until it is listed."""
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(path))
    page.locator('[data-testid="stFileUploader"]').get_by_text(path.name, exact=True).wait_for(timeout=TIMEOUT_MS)
    idle(page)


def table_rows(frame: Any) -> list[list[str]]:
    """The header and rows of an st.dataframe, from its grid's accessible table (the canvas draws the same)."""
    frame.locator('[role="gridcell"]').first.wait_for(state="attached", timeout=TIMEOUT_MS)
    return [
        [str(cell) for cell in row]
        for row in frame.evaluate(
            """(e) => [...e.querySelectorAll('[role=row]')].map((row) =>
                [...row.querySelectorAll('[role=gridcell],[role=columnheader]')].map((cell) => cell.innerText))"""
        )
    ]


def tables(page: Any) -> list[list[list[str]]]:
    """Every st.dataframe of the main area, in page order, as `table_rows` reads them."""
    frames = page.locator('[data-testid="stMain"] [data-testid="stDataFrame"]')
    return [table_rows(frames.nth(i)) for i in range(frames.count())]
