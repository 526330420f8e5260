"""The one long-lived export browser: found or missing, shared safely between sessions, reopened when closed."""

from __future__ import annotations

import io
import shutil
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path

import plotly.graph_objects as go
import pytest
from PIL import Image

from dashboard.components.version_notice import notice_text
from dashboard.exports import browser
from etl.i18n import t
from etl.publish.snapshots import SnapshotRef


def test_browser_path_pointing_at_nothing_turns_images_off(monkeypatch, tmp_path):
    monkeypatch.setenv("BROWSER_PATH", str(tmp_path / "missing"))
    assert browser.find_browser() is None
    assert browser.warm_up() is False
    with pytest.raises(browser.BrowserMissing) as raised:
        browser.ExportServer.start()
    for lang in ("fi", "sv", "en"):
        assert "apt-get install chromium" in raised.value.message(lang)
        assert str(tmp_path / "missing") in raised.value.message(lang)


def test_the_installed_chromium_is_found(monkeypatch):
    monkeypatch.delenv("BROWSER_PATH", raising=False)
    found = browser.find_browser()
    assert found is not None and Path(found).is_file()
    monkeypatch.setenv("BROWSER_PATH", shutil.which("chromium") or found)
    assert browser.find_browser() == (shutil.which("chromium") or found)


@pytest.mark.slow
def test_concurrent_exports_each_get_their_own_image(export_server):
    """kaleido's global sync server shares one result queue; here every call has its own future."""
    sizes = [(400 + 40 * i, 300 + 20 * i) for i in range(6)]

    def draw(size: tuple[int, int]) -> tuple[int, int]:
        figure = go.Figure(go.Bar(x=[1, 2], y=[size[0], size[1]]))
        return Image.open(io.BytesIO(export_server.render(figure, "png", *size))).size

    with ThreadPoolExecutor(max_workers=6) as pool:
        assert list(pool.map(draw, sizes)) == sizes


@pytest.mark.slow
def test_a_closed_server_reopens_on_the_next_export():
    server = browser.ExportServer.start()
    figure = go.Figure(go.Scatter(x=[1, 2], y=[3, 5]))
    assert server.render(figure, "svg", 300, 200).lstrip().startswith(b"<svg")
    server.close()
    assert not server.running
    assert server.render(figure, "png", 300, 200).startswith(b"\x89PNG")
    server.close()


def _ref(version: int) -> SnapshotRef:
    return SnapshotRef(version, Path(f"/v{version}"), datetime(2026, version % 12 + 1, 1))


def test_version_notices():
    assert notice_text(None, _ref(10), _ref(10), "en") is None
    assert notice_text("10", _ref(10), _ref(10), "en") is None
    newer = notice_text("7", _ref(7), _ref(10), "fi")
    assert newer is not None and "tietoversiota 7" in newer and "versio 10" in newer
    assert notice_text("99", _ref(10), _ref(10), "sv") == t(
        "exports.version.not_kept", "sv", requested="99", version="10"
    )
    assert notice_text("abc", _ref(10), _ref(10), "en") == t(
        "exports.version.not_kept", "en", requested="abc", version="10"
    )
