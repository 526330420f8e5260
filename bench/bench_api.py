"""The open data interface under load: one table from /api/v1/data, 20 clients at once (issue 16).

A real dashboard server (dashboard/server.py) on a copy of each dataset, in public mode and
with the rate limit raised for the run (the limit counts per address, and every client here
is 127.0.0.1). The clients ask CLIENT_REQUESTS tables each without pause, going round 120
different ones (every breakdown of new clients, one year at a time), so about one answer in
eight is made afresh and the rest come from the server's cache of answers, as when scripts
ask again. The baseline is /healthz asked the same way in the same run.
"""

from __future__ import annotations

import os
import statistics
import threading
import time
import urllib.request
from pathlib import Path

from bench import datasets
from bench.harness.server import DashboardServer
from bench.report import Result

TITLE = "Open data interface"
CLIENTS, CLIENT_REQUESTS = 20, 50
GOAL_MS = 100
BREAKDOWNS = (
    "", "sex", "age_group", "exploitation_form", "citizenship", "citizenship_group", "referral_source",
    "residence_status", "legal_status", "nas_status", "police_status", "labour_sector",
)  # fmt: skip
TABLES = [
    f"/api/v1/data?measure=PERS_NEW&breakdown={breakdown}&years={year}&format=csv&lang=en"
    for year in range(2016, 2026)
    for breakdown in BREAKDOWNS
]
HEALTH = ["/healthz"]


def _client(root: str, paths: list[str], first: int, times: list[float], failures: list[str]) -> None:
    for number in range(first, first + CLIENT_REQUESTS):
        url = root + paths[number % len(paths)]
        started = time.perf_counter()
        try:
            with urllib.request.urlopen(url, timeout=60) as reply:
                reply.read()
                if reply.status != 200:
                    failures.append(str(reply.status))
        except OSError as error:
            failures.append(str(error))
            continue
        times.append(time.perf_counter() - started)


def _load(root: str, paths: list[str]) -> tuple[list[float], list[str]]:
    """Every answer time (s) of CLIENTS threads asking CLIENT_REQUESTS of `paths` each, and the failures."""
    times: list[float] = []
    failures: list[str] = []
    threads = [
        threading.Thread(target=_client, args=(root, paths, client * CLIENT_REQUESTS, times, failures))
        for client in range(CLIENTS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return times, failures


def _p95(times: list[float]) -> float:
    return statistics.quantiles(times, n=20)[-1] if len(times) > 1 else float("nan")


def _one(dataset: datasets.Dataset, workdir: Path) -> Result:
    settings = dataset.copy(workdir)
    log = workdir / f"streamlit-api-{dataset.name}.log"
    with DashboardServer(settings.data_dir, log, public=True, API_REQUESTS_PER_MINUTE="1000000") as server:
        urllib.request.urlopen(server.url + TABLES[0], timeout=120).read()  # first answer: reads the snapshot
        health, health_failures = _load(server.url, HEALTH)
        table, failures = _load(server.url, TABLES)
    failures += health_failures
    p95, base = _p95(table), _p95(health)
    return Result(
        f"{dataset.name}: one table from /api/v1/data, p95 of {CLIENTS} clients x {CLIENT_REQUESTS} requests",
        f"{p95 * 1000:.0f} ms (p50 {statistics.median(table) * 1000:.0f})",
        baseline=f"/healthz the same way: p95 {base * 1000:.0f} ms (p50 {statistics.median(health) * 1000:.0f})",
        ratio=f"{p95 / base:.1f}x",
        goal=f"p95 < {GOAL_MS} ms",
        met=p95 * 1000 < GOAL_MS and not failures,
        note=f"{len(table)} answers of {len(TABLES)} different tables (CSV), {len(failures)} failed. "
        f"Load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores after the run; the clients run "
        "on the same machine as the server",
    )


def run(workdir: Path) -> list[Result]:
    return [_one(dataset, workdir) for dataset in datasets.both()]
