"""Viewers keep loading pages while a writer loads and publishes files, one after another.

Each viewer is a Streamlit websocket session (bench/harness/streamlit_client.py) that
loads the pages its menu offers in turn, in fi, sv and en, and opens a new session
(a new tab) every few pages. The writer runs `python -m etl load FILE --by ...
--publish` for each file, as a coordinator would on the server. Nothing is checked
while it runs; every page is kept (small) and judged afterwards against the
snapshots on disk (bench/harness/expected.py), so the judging costs the server nothing.

Used by the reliability tests (one and two dashboard processes) and by
bench/bench_viewers.py (the p95 page time in docs/benchmarks.md).
"""

from __future__ import annotations

import asyncio
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench.harness.expected import Seen, all_versions, page_problems
from bench.harness.server import ROOT, dashboard_environment
from bench.harness.streamlit_client import StreamlitSession, run_sync
from etl.i18n import LANGUAGES

NEW_SESSION_EVERY = 4  # pages per session before the viewer opens a new tab
WARM_UP_TIMEOUT = 120.0  # every viewer has shown a first page before the writer starts
LOAD_TIMEOUT = 180.0


@dataclass
class Publication:
    file: str
    returncode: int
    seconds: float
    output: str


@dataclass
class Outcome:
    seen: dict[int, list[Seen]] = field(default_factory=dict)  # viewer -> pages in the order it saw them
    final: dict[int, Seen] = field(default_factory=dict)  # viewer -> a page opened after the writer finished
    publications: list[Publication] = field(default_factory=list)
    expected: dict[int, dict[int, int]] = field(default_factory=dict)  # version -> new clients per year
    seconds: float = 0.0

    @property
    def pages(self) -> list[Seen]:
        return [s for pages in self.seen.values() for s in pages] + list(self.final.values())

    @property
    def latest(self) -> int:
        return max(self.expected)

    def failed_publications(self) -> list[str]:
        return [f"{p.file}: exit {p.returncode}\n{p.output}" for p in self.publications if p.returncode != 0]

    def problems(self) -> list[str]:
        """Every page that failed or did not show exactly one complete version, and every step back in time."""
        found = []
        for viewer, pages in self.seen.items():
            for number, seen in enumerate([*pages, self.final[viewer]] if viewer in self.final else pages):
                found += [
                    f"viewer {viewer}, page {number} ({seen.page or '/'}): {p}"
                    for p in page_problems(seen, self.expected)
                ]
            versions = [s.version for s in pages if s.version is not None]
            if versions != sorted(versions):
                found.append(f"viewer {viewer} went back to an older version: {versions}")
        return found

    def versions_seen(self) -> set[int]:
        return {s.version for s in self.pages if s.version is not None}

    def page_seconds(self) -> list[float]:
        return [s.seconds for s in self.pages]

    def percentile(self, q: float) -> float:
        times = sorted(self.page_seconds())
        return times[min(len(times) - 1, round(q * (len(times) - 1)))] if times else float("nan")

    def summary(self) -> str:
        times = self.page_seconds()
        return (
            f"{len(self.seen)} viewers, {len(times)} pages in {self.seconds:.0f} s "
            f"while {len(self.publications)} files were loaded and published; "
            f"versions seen {sorted(self.versions_seen())}; page time "
            f"p50 {statistics.median(times):.2f} s, p95 {self.percentile(0.95):.2f} s, max {max(times):.2f} s"
        )


def load_and_publish(data_dir: Path, path: Path, actor: str = "reliability-test") -> Publication:
    """`python -m etl load FILE --by ACTOR --publish`, as the coordinator runs it on the server."""
    command = [sys.executable, "-m", "etl", "--lang", "en", "load", str(path), "--by", actor, "--publish"]
    started = time.perf_counter()
    done = subprocess.run(
        command, cwd=ROOT, env=dashboard_environment(data_dir), capture_output=True, text=True, timeout=LOAD_TIMEOUT
    )
    return Publication(path.name, done.returncode, time.perf_counter() - started, (done.stdout + done.stderr)[-2000:])


async def _viewer(
    number: int, url: str, seen: list[Seen], started: asyncio.Event, stop: asyncio.Event, pace: float
) -> None:
    session: StreamlitSession | None = None
    pages = [""]
    loads = 0
    try:
        while not stop.is_set():
            if session is None or loads % NEW_SESSION_EVERY == 0:
                if session is not None:
                    await session.close()
                session = StreamlitSession(url)
            lang = LANGUAGES[(number + loads) % len(LANGUAGES)]
            page = pages[(number + loads) % len(pages)]
            run = await session.run(page, f"lang={lang}")
            seen.append(Seen.of(run))
            pages = [p for p in run.navigation if p != "login"] or pages  # the pages this menu offers
            loads += 1
            started.set()
            if not run.ok:
                await session.close()
                session = None
            if pace:
                await asyncio.sleep(pace)
    finally:
        if session is not None:
            await session.close()


async def _final_page(url: str) -> Seen:
    async with StreamlitSession(url) as session:
        return Seen.of(await session.run("", "lang=fi"))


async def _scenario(urls: list[str], data_dir: Path, files: list[Path], viewers: int, pace: float) -> Outcome:
    outcome = Outcome(seen={n: [] for n in range(viewers)})
    stop = asyncio.Event()
    started = [asyncio.Event() for _ in range(viewers)]
    tasks = [
        asyncio.create_task(_viewer(n, urls[n % len(urls)], outcome.seen[n], started[n], stop, pace))
        for n in range(viewers)
    ]
    begun = time.perf_counter()
    try:
        await asyncio.wait_for(asyncio.gather(*(e.wait() for e in started)), WARM_UP_TIMEOUT)
        for path in files:
            outcome.publications.append(await asyncio.to_thread(load_and_publish, data_dir, path))
    finally:
        stop.set()
        await asyncio.gather(*tasks)
    outcome.seconds = time.perf_counter() - begun
    finals = await asyncio.gather(*(_final_page(urls[n % len(urls)]) for n in range(viewers)))
    outcome.final = dict(enumerate(finals))
    outcome.expected = all_versions(data_dir)
    return outcome


def viewers_while_publishing(
    urls: list[str], data_dir: Path, files: list[Path], viewers: int = 20, pace: float = 0.0
) -> Outcome:
    """`viewers` sessions (spread over the dashboards at `urls`) load pages while `files` are published in order.

    `pace` is a pause in seconds between one viewer's pages (0: as fast as the server answers).
    """
    return run_sync(_scenario(urls, data_dir, files, viewers, pace))
