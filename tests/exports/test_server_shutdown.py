"""A dashboard server that is stopped closes its export browser and removes its temporary folders.

The export browser (kaleido's Chromium) keeps a profile of about 6 MB in a temporary folder. The
server stops on SIGTERM through uvicorn, which ends the process with the signal once it has shut
down, so atexit never runs: the server's shutdown hook has to close the browser. Killed with
SIGKILL it cannot; then the test harness removes what it left (bench/harness/server.py).
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


def _start_export_browser(server: DashboardServer) -> None:
    """Start the server and open a page whose download menu starts the export browser; wait for its profile."""
    from playwright.sync_api import sync_playwright

    server.start()
    with sync_playwright() as playwright:
        chromium = launch(playwright)
        page = chromium.new_page()
        open_page(page, f"{server.url}/trends?lang=en")
        page.wait_for_selector(CHART, timeout=TIMEOUT_MS)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not _browser_profiles(server.temp_dir):
            time.sleep(0.2)
        chromium.close()
    assert _browser_profiles(server.temp_dir), "the export browser never started"


def test_a_stopped_dashboard_closes_its_export_browser_and_a_killed_ones_leftovers_are_removed(
    demo_settings: Settings, tmp_path: Path
) -> None:
    server = DashboardServer(demo_settings.data_dir, tmp_path / "dashboard.log", public=True)
    try:
        _start_export_browser(server)
        server.stop()
        assert server.left_behind == []

        _start_export_browser(server)
        server.kill()
        assert server.left_behind != []  # SIGKILL: the server could not remove its browser's profile,
        assert not server.temp_dir.exists()  # so the harness did
    finally:
        server.stop()
