"""One long-lived headless Chromium for every image export (kaleido 1.x).

Why not `kaleido.start_sync_server()`: read in kaleido 1.5, its global server
hands results back through one shared queue, so two sessions exporting at the
same moment can receive each other's image, and when the browser fails to start
its thread dies while every later call waits forever. This server keeps the same
idea (one browser, opened once, kept open) but each call gets its own future
(`asyncio.run_coroutine_threadsafe`), has a timeout, and a failed start is an
error the caller sees.
"""

from __future__ import annotations

import asyncio
import atexit
import logging
import os
import threading
from concurrent.futures import TimeoutError as FutureTimeout
from pathlib import Path
from typing import Any

import plotly.graph_objects as go

from etl.errors import TilannekuvaError

log = logging.getLogger(__name__)

FORMATS = ("png", "svg", "pdf")
START_TIMEOUT_S = 60
RENDER_TIMEOUT_S = 60


class BrowserMissing(TilannekuvaError):
    """No Chrome or Chromium to draw images with; everything else works on."""

    def __init__(self, searched: str = "") -> None:
        super().__init__("exports.no_browser", searched=searched or "PATH")


class ExportFailed(TilannekuvaError):
    """The browser could not draw the image (details are in the log)."""

    def __init__(self) -> None:
        super().__init__("exports.render_failed")


def find_browser() -> str | None:
    """The Chrome/Chromium kaleido would use, or None.

    BROWSER_PATH wins when set (also when it points at nothing, which is how an
    operator or a test turns image export off); then the usual names on PATH.
    """
    from choreographer.browsers.chromium import Chromium

    override = os.environ.get("BROWSER_PATH")
    if override is not None:
        return override if Path(override).is_file() and os.access(override, os.X_OK) else None
    found = Chromium.find_browser(skip_local=False)
    return found if found and Path(found).is_file() else None


class ExportServer:
    """A kaleido browser opened once in a background event loop and shared by all sessions."""

    def __init__(self, browser: str, tabs: int = 1) -> None:
        self.browser = browser
        self.tabs = tabs
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._kaleido: Any = None

    @classmethod
    def start(cls, tabs: int = 1) -> ExportServer:
        """Find a browser and open it; raises BrowserMissing when there is none."""
        browser = find_browser()
        if browser is None:
            raise BrowserMissing(os.environ.get("BROWSER_PATH", ""))
        server = cls(browser, tabs)
        server._open()
        atexit.register(server.close)
        return server

    def _open(self) -> None:
        import kaleido

        loop = asyncio.new_event_loop()
        threading.Thread(target=loop.run_forever, name="kaleido-export", daemon=True).start()
        # mathjax=False: the default loads MathJax from a CDN, which this app neither needs nor reaches offline.
        try:
            engine = kaleido.Kaleido(n=self.tabs, mathjax=False, path=self.browser)
            asyncio.run_coroutine_threadsafe(engine.open(), loop).result(START_TIMEOUT_S)
        except Exception:
            log.exception("could not start the export browser %s", self.browser)
            loop.call_soon_threadsafe(loop.stop)
            raise ExportFailed() from None
        self._loop, self._kaleido = loop, engine

    @property
    def running(self) -> bool:
        return self._kaleido is not None

    def render(self, figure: go.Figure | dict, fmt: str, width: int, height: int, scale: float = 1) -> bytes:
        """The figure drawn as PNG, SVG or PDF bytes (thread-safe; one browser, a tab per call)."""
        if fmt not in FORMATS:
            raise ValueError(f"unknown image format {fmt}")
        with self._lock:
            if not self.running:
                self._open()  # reopened after a failure
            loop, engine = self._loop, self._kaleido
        assert loop is not None
        opts = {"format": fmt, "width": width, "height": height, "scale": scale}
        future = asyncio.run_coroutine_threadsafe(engine.calc_fig(figure, opts=opts), loop)
        try:
            return bytes(future.result(RENDER_TIMEOUT_S))
        except (FutureTimeout, Exception):
            future.cancel()
            log.exception("image export failed (%s %sx%s)", fmt, width, height)
            self._discard(engine, loop)
            raise ExportFailed() from None

    def _discard(self, engine: Any, loop: asyncio.AbstractEventLoop) -> None:
        """Close a browser that failed so the next call starts a fresh one."""
        with self._lock:
            if self._kaleido is engine:
                self._kaleido, self._loop = None, None
        _close(engine, loop)

    def close(self) -> None:
        with self._lock:
            engine, loop = self._kaleido, self._loop
            self._kaleido, self._loop = None, None
        if engine is not None and loop is not None:
            _close(engine, loop)


def _close(engine: Any, loop: asyncio.AbstractEventLoop) -> None:
    try:
        asyncio.run_coroutine_threadsafe(engine.close(), loop).result(15)
    except BaseException:  # already gone: nothing left to close
        log.info("export browser was already closed")
    finally:
        loop.call_soon_threadsafe(loop.stop)


_shared: ExportServer | None = None
_shared_lock = threading.Lock()


def shared_server() -> ExportServer:
    """The process's one export browser, started on first use (BrowserMissing when there is no browser)."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = ExportServer.start()
        return _shared


def close_shared() -> None:
    """Close the process's export browser if one was started (the server's shutdown calls this)."""
    global _shared
    with _shared_lock:
        server, _shared = _shared, None
    if server is not None:
        server.close()


def warm_up() -> bool:
    """Start the shared browser in the background, so the first export does not wait for it.

    Returns False when no browser is installed (the caller shows how to install one).
    """
    if find_browser() is None:
        return False
    if _shared is None and not _shared_lock.locked():
        threading.Thread(target=_quiet_start, name="kaleido-warm-up", daemon=True).start()
    return True


def _quiet_start() -> None:
    try:
        shared_server()
    except TilannekuvaError:
        log.warning("export browser could not be started in the background")
