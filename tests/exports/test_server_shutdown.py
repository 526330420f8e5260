"""A dashboard server that is stopped closes its export browser and removes its temporary folders.

The export browser (kaleido's Chromium) keeps a profile of about 6 MB in a temporary folder. The
server stops on SIGTERM through uvicorn, which ends the process with the signal once it has shut
down, so atexit never runs: the server's shutdown hook has to close the browser.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from bench.harness.browser import CHART, TIMEOUT_MS, launch, open_page
from bench.harness.server import DashboardServer
from etl.config import Settings

pytestmark = pytest.mark.e2e


def _browser_profiles(folder: Path) -> list[Path]:
    return [path for path in folder.iterdir() if (path / "Local State").exists() or (path / "Default").exists()]


def _wait_for_profile(folder: Path, seconds: float = 60) -> list[Path]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and not _browser_profiles(folder):
        time.sleep(0.2)
    return _browser_profiles(folder)


def test_a_stopped_dashboard_closes_its_export_browser_and_leaves_no_temporary_folder(
    demo_settings: Settings, tmp_path: Path
) -> None:
    from playwright.sync_api import sync_playwright

    server = DashboardServer(demo_settings.data_dir, tmp_path / "dashboard.log", public=True).start()
    try:
        with sync_playwright() as playwright:
            chromium = launch(playwright)
            page = chromium.new_page()
            open_page(page, f"{server.url}/trends?lang=en")
            page.wait_for_selector(CHART, timeout=TIMEOUT_MS)  # its download menu starts the export browser
            assert _wait_for_profile(server.temp_dir), "the export browser never started"
            chromium.close()
    finally:
        server.stop()
    assert server.left_behind == []
