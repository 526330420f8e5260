"""Pages in a real browser: time to the first chart and to an updated chart, beside a bare Streamlit app.

Both servers run in the same benchmark on free ports, on a copy of the demo data and
then of the 50x dataset (bench/datasets.py). Each figure is the median of several measurements taken
in turns (dashboard, bare, dashboard, ...) after one warm-up visit each, in headless
Chromium. Memory is the resident set of the dashboard's server process with ten
sessions open at once.
"""

from __future__ import annotations

import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from bench import datasets
from bench.harness.browser import CHART, IDLE, launch
from bench.report import Result

TITLE = "Pages in a browser"
ROOT = Path(__file__).resolve().parent.parent
BARE_APP = Path(__file__).resolve().parent / "bare_app.py"
ROUNDS = 7
SESSIONS = 10
RATIO_GOAL = 1.2  # issue 18: page change and filter change <= 1.2x the bare app
MEMORY_GOAL_MB = 500


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def _server(script: Path, data_dir: Path, log: Path) -> Iterator[tuple[str, int]]:
    """A Streamlit server on a free port; yields (base URL, pid) and stops it afterwards."""
    port = _free_port()
    env = {**os.environ, "TILANNEKUVA_DATA_DIR": str(data_dir), "TILANNEKUVA_PUBLIC_MODE": "true"}  # a visitor
    command = [sys.executable, "-m", "streamlit", "run", str(script), "--server.port", str(port),
               "--server.headless", "true", "--browser.gatherUsageStats", "false"]  # fmt: skip
    with log.open("w") as out:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as reply:
                    if reply.status == 200:
                        break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError(f"{script.name} did not start; see {log}") from None
                time.sleep(0.2)
        yield f"http://127.0.0.1:{port}", process.pid
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def _to_first_chart(browser, url: str) -> float:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    try:
        started = time.perf_counter()
        page.goto(url)
        page.wait_for_selector(CHART, state="visible", timeout=60_000)
        elapsed = time.perf_counter() - started
        page.wait_for_selector(IDLE, timeout=60_000)
        return elapsed
    finally:
        page.close()


def _to_updated_chart(browser, url: str, option: str) -> float:
    """Lines -> stacked bars: from the click to the chart drawn with bars."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    try:
        page.goto(url)
        page.wait_for_selector(CHART, state="visible", timeout=60_000)
        page.wait_for_selector(IDLE, timeout=60_000)
        button = page.get_by_role("radio", name=option, exact=True)  # a segmented control is a radio group
        started = time.perf_counter()
        button.click()
        page.wait_for_function(
            "() => { const gd = document.querySelector('.js-plotly-plot');"
            " return gd && gd.data && gd.data.length && gd.data[0].type === 'bar'; }",
            timeout=60_000,
        )
        elapsed = time.perf_counter() - started
        page.wait_for_selector(IDLE, timeout=60_000)
        return elapsed
    finally:
        page.close()


def _chart_size(browser, url: str) -> tuple[int, int]:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    try:
        page.goto(url)
        page.wait_for_selector(CHART, state="visible", timeout=60_000)
        page.wait_for_selector(IDLE, timeout=60_000)
        box = page.locator('[data-testid="stPlotlyChart"]').first.bounding_box()
        assert box is not None
        return round(box["width"]), round(box["height"])
    finally:
        page.close()


def _median_in_turns(measure: Callable[[str], float], ours: str, bare: str) -> tuple[float, float]:
    measure(ours), measure(bare)  # warm-up: imports, caches, first browser paint
    mine, baseline = [], []
    for _ in range(ROUNDS):
        mine.append(measure(ours))
        baseline.append(measure(bare))
    return statistics.median(mine), statistics.median(baseline)


def _ratio_result(name: str, mine: float, bare: float, note: str, missed: str = "") -> Result:
    ratio = mine / bare
    met = ratio <= RATIO_GOAL
    return Result(
        name, f"{mine:.2f} s", goal=f"<= {RATIO_GOAL}x", baseline=f"{bare:.2f} s (bare app)",
        ratio=f"{ratio:.2f}x", met=met, note=note if met or not missed else f"{note}; {missed}",
    )  # fmt: skip


def _memory(browser, base: str, pid: int) -> tuple[float, float]:
    """RSS after one session, and with SESSIONS sessions open on different pages."""
    from dashboard.navigation import OVERVIEW_PAGES  # the pages with charts

    one = _rss_mb(pid)
    pages = []
    for index in range(SESSIONS):
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        path = OVERVIEW_PAGES[index % len(OVERVIEW_PAGES)].url_path if index % len(OVERVIEW_PAGES) else ""
        page.goto(f"{base}/{path}?lang={('fi', 'sv', 'en')[index % 3]}")
        page.wait_for_selector(CHART, state="visible", timeout=60_000)
        page.wait_for_selector(IDLE, timeout=60_000)
        pages.append(page)
    time.sleep(1)
    many = _rss_mb(pid)
    for page in pages:
        page.close()
    return one, many


MISSED_FIRST = (
    "missed: the server's run of a first visit takes 0.05-0.2 s (cached gate answers and charts); the rest is"
    " the browser loading the app and building a page with navigation, filters and more elements than one"
    " chart, and single visits vary by up to a second with machine load"
)
MISSED_UPDATE = (
    "missed: the server's rerun of the Trends chart fragment takes about 0.025 s (cached gate answers and"
    " charts); the same trend figure in a one-chart app updates as fast as the bare chart, and removing the"
    " table, notes, download and URL writing made no measurable difference, so the gap is the browser"
    " updating a page with navigation, filters and ~30 elements. Closing it would take switching lines/bars"
    " in the browser (plotly buttons, no rerun), which would leave that choice out of the URL."
)


def run(workdir: Path) -> list[Result]:
    results: list[Result] = []
    for dataset in datasets.both():
        results += _one(dataset.name, dataset.copy(workdir).data_dir, workdir)
    return results


def _one(label: str, data_dir: Path, workdir: Path) -> list[Result]:
    """Every figure on one dataset, the dashboard and the bare app served side by side."""
    from playwright.sync_api import sync_playwright

    load_before = os.getloadavg()[0]
    with (
        _server(ROOT / "dashboard" / "app.py", data_dir, workdir / f"dashboard-{label}.log") as (ours, pid),
        _server(BARE_APP, data_dir, workdir / f"bare-{label}.log") as (bare, bare_pid),
        sync_playwright() as playwright,
    ):
        browser = launch(playwright)  # the e2e tests' Chromium and flags
        try:
            width, height = _chart_size(browser, f"{ours}/trends?lang=en")
            bare = f"{bare}/?w={width}"
            sizes = (_chart_size(browser, f"{ours}/?lang=en"), (width, height), _chart_size(browser, bare))
            overview = _median_in_turns(lambda url: _to_first_chart(browser, url), f"{ours}/?lang=en", bare)
            trends = _median_in_turns(lambda url: _to_first_chart(browser, url), f"{ours}/trends?lang=en", bare)
            update = _median_in_turns(
                lambda url: _to_updated_chart(browser, url, "Stacked bars"), f"{ours}/trends?lang=en", bare
            )
            one, many = _memory(browser, ours, pid)
            bare_rss = _rss_mb(bare_pid)
        finally:
            browser.close()
    charts = ", ".join(f"{name} {w}x{h} px" for name, (w, h) in zip(("Overview", "Trends", "bare"), sizes, strict=True))
    load_after = os.getloadavg()[0]
    where = (
        f"median of {ROUNDS}, in turns with the bare app, after a warm-up visit; 1280 px window, headless Chromium;"
        f" first charts {charts}"
    )
    return [
        _ratio_result(f"{label}: Overview: navigation to first chart visible", *overview, where, MISSED_FIRST),
        _ratio_result(f"{label}: Trends: navigation to first chart visible", *trends, where, MISSED_FIRST),
        _ratio_result(
            f"{label}: Trends: filter change (lines -> stacked bars) to updated chart", *update, where, MISSED_UPDATE
        ),
        Result(
            f"{label}: machine load during the run (1-minute load average, start / end)",
            f"{load_before:.1f} / {load_after:.1f}",
            note=f"{os.cpu_count()} cores shared with other work: both apps are measured in turns, so load hits both",
        ),
        Result(
            f"{label}: dashboard server memory with {SESSIONS} open sessions",
            f"{many:.0f} MB",
            goal=f"< {MEMORY_GOAL_MB} MB",
            baseline=f"{one:.0f} MB after the warm-up visits; bare app {bare_rss:.0f} MB",
            met=many < MEMORY_GOAL_MB,
            note="RSS of the Streamlit server process (/proc/<pid>/status), sessions on every page in fi, sv and en",
        ),
    ]
