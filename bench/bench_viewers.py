"""Viewers at once: page time while files are published, and server memory with 10 open sessions.

On each dataset a dashboard (public mode, on a copy of the data) is measured three
ways, in this order: one viewer alone loading the Overview ten times (the baseline);
ten sessions opened at once and kept open (the server's resident memory); then the
load test of tests/reliability: 20 viewers keep loading pages while 10 files are
loaded and published through `python -m etl load FILE --publish`, every page judged
afterwards against the snapshots (errors, a mix of versions). Viewers are Streamlit
websocket sessions (bench/harness/streamlit_client.py): a page time is from asking for
the page to the server's last message for it, without a browser's drawing.
"""

from __future__ import annotations

import asyncio
import os
import statistics
from pathlib import Path

from bench import datasets
from bench.harness.server import DashboardServer
from bench.harness.streamlit_client import StreamlitSession, run_sync
from bench.harness.updates import update_files
from bench.harness.viewers import viewers_while_publishing
from bench.report import Result

TITLE = "Viewers at once (a dashboard process while files are published)"
VIEWERS = 20
FILES = 10
ALONE_RUNS = 10
SESSIONS = 10
MEMORY_GOAL_MB = 500  # issue 5: server memory with 10 open sessions


async def _alone(url: str) -> list[float]:
    async with StreamlitSession(url) as session:
        await session.run("", "lang=fi")  # the first run fills the caches; the baseline is a warm page
        return [(await session.run("", "lang=fi")).seconds for _ in range(ALONE_RUNS)]


async def _open_sessions(server: DashboardServer) -> float:
    """Resident memory of the server with SESSIONS sessions that have each shown the Overview."""
    sessions = [StreamlitSession(server.url) for _ in range(SESSIONS)]
    try:
        runs = await asyncio.gather(*(s.run("", f"lang={('fi', 'sv', 'en')[n % 3]}") for n, s in enumerate(sessions)))
        assert all(run.ok for run in runs), [run.errors for run in runs]
        return _rss_mb(server.pid)
    finally:
        await asyncio.gather(*(s.close() for s in sessions))


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _one(dataset: datasets.Dataset, workdir: Path) -> list[Result]:
    settings = dataset.copy(workdir)
    files = update_files(settings.data_dir, workdir / f"files-{dataset.name}", FILES)
    with DashboardServer(settings.data_dir, workdir / f"streamlit-{dataset.name}.log", public=True) as server:
        idle = _rss_mb(server.pid)  # before any session: Python, Streamlit and the libraries
        alone = run_sync(_alone(server.url))
        memory = run_sync(_open_sessions(server))
        outcome = viewers_while_publishing([server.url], settings.data_dir, files, viewers=VIEWERS)
        peak = server.peak_memory_mb()
    problems = outcome.problems() + outcome.failed_publications()
    alone_median, p95 = statistics.median(alone), outcome.percentile(0.95)
    load = f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores after the run"
    label = dataset.name
    return [
        Result(
            f"{label}: p95 page time, {VIEWERS} viewers while {FILES} files are published",
            f"{p95:.2f} s",
            baseline=f"{alone_median:.2f} s one viewer alone (median of {ALONE_RUNS})",
            ratio=f"{p95 / alone_median:.1f}x",
            note=(
                f"{outcome.summary()}. The server runs every session's page in one Python process, so on "
                f"{os.cpu_count()} cores {VIEWERS} viewers asking without pause queue behind each other: the p95 "
                f"is about the number of pages in progress times the time of one page, plus the writer's CPU "
                f"while it loads and publishes. More dashboard processes behind the proxy (docs/deployment.md) "
                f"divide it; {load}"
            ),
        ),
        Result(
            f"{label}: pages with an error or a mix of versions",
            f"{len(problems)} of {len(outcome.pages)}",
            goal="0",
            met=not problems,
            note="; ".join(problems[:3]) if problems else "every page named one version and showed its numbers",
        ),
        Result(
            f"{label}: server memory with {SESSIONS} open sessions (VmRSS)",
            f"{memory:.0f} MB",
            goal=f"< {MEMORY_GOAL_MB} MB",
            met=memory < MEMORY_GOAL_MB,
            note=(
                f"after each session showed the Overview; {idle:.0f} MB before any session; the peak (VmHWM) "
                f"over the whole run with {VIEWERS} "
                f"viewers was {peak:.0f} MB. The export browser (a Chromium the menu starts) is a process of "
                "its own and not counted"
                + (
                    ""
                    if memory < MEMORY_GOAL_MB
                    else ". Missed: beyond the server before any session and the libraries the first page imports "
                    "(pandas, DuckDB, plotly), the memory is the shared caches (st.cache_data answers per "
                    "snapshot, DuckDB's buffers of the open snapshot); capping them (fewer cache entries, "
                    "DuckDB's memory_limit) would close it"
                )
            ),
        ),
    ]


def run(workdir: Path) -> list[Result]:
    results = []
    for dataset in datasets.both():
        results += _one(dataset, workdir)
    return results
