"""Browser journeys: the demo data with its demo accounts, real dashboard servers, one Chromium.

- `e2e_data_dir`: what `python -m etl demo` makes (the synthetic demo and the four
  public demo accounts), built once per session; servers get their own copies.
- `dashboard`: a server where signing in is required (the default);
  `public_dashboard`: one with TILANNEKUVA_PUBLIC_MODE=true. One of each per session.
- `page`: a fresh browser context (no cookies, its own downloads) per test, in the
  module's Chromium; a failing test leaves a screenshot in test-artifacts/e2e/.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bench.harness.browser import TIMEOUT_MS, VIEWPORT, launch, screenshot
from bench.harness.server import DashboardServer
from etl.config import Settings
from etl.demo.accounts import DEMO_ACCOUNTS, DemoAccount, ensure


@pytest.fixture(scope="session")
def e2e_data_dir(demo_data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo data and the demo accounts, as `python -m etl demo` leaves them. Copy before changing it."""
    data_dir = tmp_path_factory.mktemp("e2e-demo") / "data"
    shutil.copytree(demo_data_dir, data_dir)
    assert ensure(Settings(data_dir=data_dir)), "the demo accounts are made only beside the demo data"
    return data_dir


def demo_account(role: str) -> DemoAccount:
    """The public demo account of a role: demo-member, demo-coordinator, ..."""
    return next(a for a in DEMO_ACCOUNTS if a.role.value == role)


def _server(e2e_data_dir: Path, tmp_path_factory: pytest.TempPathFactory, public: bool) -> Iterator[DashboardServer]:
    folder = tmp_path_factory.mktemp("public-server" if public else "server")
    shutil.copytree(e2e_data_dir, folder / "data")
    server = DashboardServer(folder / "data", folder / "streamlit.log", public=public)
    with server:
        yield server


@pytest.fixture(scope="session")
def dashboard(e2e_data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[DashboardServer]:
    """A dashboard on the demo data where signing in is required."""
    yield from _server(e2e_data_dir, tmp_path_factory, public=False)


@pytest.fixture(scope="session")
def public_dashboard(e2e_data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[DashboardServer]:
    """A dashboard on the demo data in public mode (visitors see the public pages without signing in)."""
    yield from _server(e2e_data_dir, tmp_path_factory, public=True)


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    """One Chromium per test module. Not per session: Playwright's sync API keeps an event loop running in
    the main thread while it is open, and other test folders start a sync Playwright of their own."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch(playwright)
        yield browser
        browser.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    outcome = yield
    report = outcome.get_result()  # type: ignore[attr-defined]
    if report.when == "call":
        item.stash[_FAILED] = report.failed


_FAILED = pytest.StashKey[bool]()


@pytest.fixture
def page(chromium: Any, request: pytest.FixtureRequest) -> Iterator[Any]:
    context = chromium.new_context(
        accept_downloads=True, viewport=VIEWPORT, locale="fi-FI", timezone_id="Europe/Helsinki"
    )
    context.set_default_timeout(TIMEOUT_MS)
    tab = context.new_page()
    try:
        yield tab
    finally:
        if request.node.stash.get(_FAILED, False):
            screenshot(tab, f"FAILED-{request.node.name}")
        context.close()
