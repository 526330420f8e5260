"""A headless Streamlit client: a browser tab's websocket, without the browser.

It speaks Streamlit's own protocol on /_stcore/stream (BackMsg and ForwardMsg
protobufs): `run(page, query)` asks the server to run a page, as a browser does when
a page is opened, and collects what the run sent until `script_finished`: every text
element, every chart's figure JSON, and every sign of failure (an exception element,
an st.error box, a compile error, page not found, a dropped connection, a timeout).

Twenty of these cost the test process a few megabytes and a little CPU, where twenty
Chromium tabs would take the two cores the server needs; the server does exactly the
same work for both (it runs the page script and sends the same messages). What they
do not measure is the browser's drawing of the page.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, TypeVar

import websockets
from streamlit.proto.Alert_pb2 import Alert
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from bench.harness.plotly_json import decode_typed_arrays

T = TypeVar("T")
RUN_TIMEOUT = 90.0  # seconds for one page run on a saturated 2-core machine
TEXT_FIELDS = {"markdown": "body", "heading": "body", "alert": "body", "code": "code_text", "text": "body"}


@dataclass
class PageRun:
    """What one run of a page showed, and how long it took from request to script_finished."""

    page: str
    query: str
    seconds: float = 0.0
    texts: list[str] = field(default_factory=list)
    metrics: list[tuple[str, str]] = field(default_factory=list)  # (label, value)
    charts: dict[str, dict[str, Any]] = field(default_factory=dict)  # element id -> figure JSON
    errors: list[str] = field(default_factory=list)
    navigation: list[str] = field(default_factory=list)  # url paths of the pages in the menu

    @property
    def ok(self) -> bool:
        return not self.errors

    def chart(self, figure_id: str) -> dict[str, Any] | None:
        """The figure whose Streamlit key is chart-<figure_id> (render_chart's key)."""
        for element_id, figure in self.charts.items():
            if element_id.endswith(f"-chart-{figure_id}"):
                return figure
        return None


def run_sync(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run `coroutine` to the end in a thread of its own with its own event loop.

    A test may already have a loop running in this thread (Playwright's sync API keeps
    one for the session's browser), and asyncio.run refuses to start a second one there.
    """
    with ThreadPoolExecutor(max_workers=1) as thread:
        return thread.submit(asyncio.run, coroutine).result()


class StreamlitSession:
    """One websocket session with a Streamlit server (one browser tab)."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url.rstrip("/")
        self.stream_url = self.base_url.replace("http://", "ws://", 1) + "/_stcore/stream"
        self._socket: Any = None

    async def __aenter__(self) -> StreamlitSession:
        await self.connect()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def connect(self) -> None:
        self._socket = await websockets.connect(
            self.stream_url, subprotocols=[websockets.Subprotocol("streamlit")], max_size=2**27, open_timeout=30
        )

    async def close(self) -> None:
        if self._socket is not None:
            await self._socket.close()
            self._socket = None

    async def run(self, page: str = "", query: str = "", timeout: float = RUN_TIMEOUT) -> PageRun:
        """Run the page at url path `page` ("" is the default page) with ?`query`, and collect it."""
        result = PageRun(page, query)
        started = time.perf_counter()
        try:
            if self._socket is None:
                await self.connect()
            request = BackMsg()
            request.rerun_script.query_string = query
            request.rerun_script.page_name = page
            request.rerun_script.context_info.url = f"{self.base_url}/{page}" + (f"?{query}" if query else "")
            request.rerun_script.context_info.timezone = "Europe/Helsinki"
            request.rerun_script.context_info.locale = "fi-FI"
            await self._socket.send(request.SerializeToString())
            await asyncio.wait_for(self._collect(result), timeout)
        except TimeoutError:
            result.errors.append(f"no script_finished within {timeout:.0f} s")
        except (OSError, websockets.ConnectionClosed) as error:
            result.errors.append(f"connection: {error!r}")
            self._socket = None
        result.seconds = time.perf_counter() - started
        return result

    async def _collect(self, result: PageRun) -> None:
        while True:
            message = ForwardMsg()
            message.ParseFromString(await self._socket.recv())
            kind = message.WhichOneof("type")
            if kind == "delta" and message.delta.WhichOneof("type") == "new_element":
                _element(message.delta.new_element, result)
            elif kind == "navigation":
                result.navigation = [p.url_pathname for p in message.navigation.app_pages]
            elif kind == "page_not_found":
                result.errors.append(f"page not found: {message.page_not_found.page_name!r}")
            elif kind == "script_finished":
                status = ForwardMsg.ScriptFinishedStatus.Name(message.script_finished)
                if status == "FINISHED_EARLY_FOR_RERUN":
                    continue  # the page asked for a rerun (st.rerun); the rerun follows
                if status != "FINISHED_SUCCESSFULLY":
                    result.errors.append(f"script finished: {status}")
                return
            elif kind == "session_event" and message.session_event.WhichOneof("type") == "script_compilation_exception":
                result.errors.append("script compilation exception")


def _element(element: Any, result: PageRun) -> None:
    kind = element.WhichOneof("type")
    if kind == "exception":
        result.errors.append(f"exception: {element.exception.type}: {element.exception.message}")
    elif kind == "alert" and element.alert.format == Alert.ERROR:
        result.errors.append(f"error box: {element.alert.body}")
    if kind in TEXT_FIELDS:
        result.texts.append(getattr(getattr(element, kind), TEXT_FIELDS[kind]))
    elif kind == "metric":
        result.metrics.append((element.metric.label, element.metric.body))
    elif kind == "plotly_chart":
        result.charts[element.plotly_chart.id] = decode_typed_arrays(json.loads(element.plotly_chart.spec))
