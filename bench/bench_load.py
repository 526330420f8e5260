"""Validate and load a one-million-row long CSV, against DuckDB's own read_csv of the same file.

Both are measured in the same run on the same file. Our side is the real load path
(screen, read, validate every rule, one transaction into the warehouse as drafts),
each run in a fresh process on a fresh copy of a warehouse that knows the members,
so that the peak memory (VmHWM) is the load's own. The rest of the time is
split by stage, the database's constraint checks are measured apart (the same
cells inserted into a fact table without keys), and a profiled run names the
functions that take the most time of their own.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import duckdb

from bench import datasets
from bench.report import Result
from etl.config import Settings
from etl.demo.synthetic import consistent_cells, long_csv_bytes
from etl.warehouse import organisations
from etl.warehouse.writer import writer

TITLE = "Load a long CSV: the demo's size and a million rows"
MEMBERS = 101
PERIODS = [f"{year}H{half}" for year in range(2016, 2026) for half in (1, 2)]  # 20 half-years
RATIO_GOAL = 3.0
MEMORY_GOAL_MB = 1024
RUNS = 2
DEMO_MEMBERS, DEMO_PERIODS, DEMO_RUNS = 12, 3, 3  # 12 x 3 x 497 = 17 892 rows, about the demo's published cells


def make_file(path: Path, members: int = MEMBERS, periods: int = len(PERIODS)) -> int:
    """101 members x 20 half-years x every table family (497 cells) = 1 003 940 valid rows (by default)."""
    keys = [(f"jasen-{i:03d}", period) for i in range(members) for period in PERIODS[:periods]]
    cells = consistent_cells(keys, seed=2024)
    path.write_bytes(long_csv_bytes(cells))
    return len(cells)


def make_warehouse(data_dir: Path) -> None:
    settings = Settings(data_dir=data_dir)
    with writer(settings, what="bench") as con:
        for i in range(MEMBERS):
            code = f"jasen-{i:03d}"
            org = organisations.Organisation(code, code, code, code, "VICTIM_SUPPORT", date(2016, 1, 1))
            organisations.add(con, org, "bench")


def duckdb_read_csv(path: Path) -> float:
    """DuckDB's own CSV reader into a table (auto-detected types), the best of three."""
    times = []
    for _ in range(3):
        con = duckdb.connect()
        started = time.perf_counter()
        con.execute(f"CREATE TABLE t AS SELECT * FROM read_csv('{path}')")
        times.append(time.perf_counter() - started)
        rows = con.execute("SELECT count(*) FROM t").fetchone()
        assert rows is not None and rows[0] > 0
        con.close()
    return min(times)


def our_load(template: Path, workdir: Path, path: Path, name: str, profile: bool = False) -> dict:
    data_dir = workdir / name
    shutil.copytree(template, data_dir)
    command = [sys.executable, "-m", "bench.load_worker", str(data_dir), str(path)]
    done = subprocess.run([*command, "--profile"] if profile else command, capture_output=True, text=True, check=True)
    report = json.loads(done.stdout.strip().splitlines()[-1])
    shutil.rmtree(data_dir, ignore_errors=True)
    assert report["outcome"] == "loaded", report
    return report


def demo_sized(template: Path, workdir: Path) -> Result:
    """The same comparison on a file the size of the demo's published cells (12 members x 3 half-years)."""
    path = workdir / "demo-sized.csv"
    rows = make_file(path, members=DEMO_MEMBERS, periods=DEMO_PERIODS)
    baseline = duckdb_read_csv(path)
    best = min((our_load(template, workdir, path, f"demo{k}") for k in range(DEMO_RUNS)), key=lambda r: r["total"])
    return Result(
        f"demo size: validate + load {rows:,} rows (drafts)",
        f"{best['total']:.2f} s",
        baseline=f"{baseline:.3f} s",
        ratio=f"{best['total'] / baseline:.0f}x",
        note=(
            f"best of {DEMO_RUNS}, each a fresh process; {DEMO_MEMBERS} members x {DEMO_PERIODS} half-years, about "
            f"the demo's published cells ({path.stat().st_size / 1e6:.1f} MB). The 3x goal is set for a million "
            f"rows; at this size a load is well under a second: opening the warehouse {best['open']:.2f} s, "
            f"screening and reading {best['screen_read']:.2f} s, validating every rule {best['validate']:.2f} s, "
            f"writing in one transaction {best['write']:.2f} s. A person uploading a file this size waits that long"
        ),
    )


def run(workdir: Path) -> list[Result]:
    path = workdir / "long.csv"
    started = time.perf_counter()
    rows = make_file(path)
    generated = time.perf_counter() - started
    template = workdir / "members"
    make_warehouse(template)
    baseline = duckdb_read_csv(path)
    loads = [our_load(template, workdir, path, f"run{k}") for k in range(RUNS)]
    best = min(loads, key=lambda r: r["total"])
    profiled = our_load(template, workdir, path, "profiled", profile=True)
    small = demo_sized(template, workdir)
    ratio = best["total"] / baseline
    peak = max(r["peak_mb"] for r in loads)
    size_mb = path.stat().st_size / 1e6
    return [
        Result(
            "generate the file",
            f"{generated:.1f} s",
            note=f"{rows:,} valid rows, {size_mb:.0f} MB, {MEMBERS} members x {len(PERIODS)} half-years x 497 cells",
        ),
        Result("DuckDB read_csv into a table", f"{baseline:.2f} s", note="best of three, types auto-detected"),
        small,
        Result(
            f"{rows / datasets.demo().cells:.0f}x the demo: validate + load 1M rows (drafts)",
            f"{best['total']:.2f} s",
            goal=f"<= {RATIO_GOAL:g}x DuckDB",
            baseline=f"{baseline:.2f} s",
            ratio=f"{ratio:.1f}x",
            met=ratio <= RATIO_GOAL,
            note=(
                f"best of {RUNS} runs, each a fresh process; {best['rows']:,} cells, "
                f"{best['problems']} warnings (year-on-year changes), 0 errors. "
                f"Where the time goes: opening the warehouse {best['open']:.2f} s; "
                f"screening and reading (intake) {best['screen_read']:.2f} s; validating every rule "
                f"{best['validate']:.2f} s; writing in one transaction {best['write']:.2f} s (the fact table's "
                f"keys checked for all cells at once {best['key_check']:.2f} s, the cells inserted "
                f"{best['plain_insert']:.2f} s; the rest finds the pairs that changed and writes the audit row). "
                "Closing the gap would mean validating inside DuckDB instead of pandas/numpy. "
                f"Most own time in a profiled run: {'; '.join(profiled.get('profile', [])[:5])}."
            ),
        ),
        Result(
            "1M rows: peak memory of the load (VmHWM)",
            f"{peak:.0f} MB",
            goal=f"< {MEMORY_GOAL_MB} MB",
            met=peak < MEMORY_GOAL_MB,
            note=(
                "the whole load process at its highest (during validation): Python and its libraries, the "
                "file's bytes and text, the rule checks' arrays, and DuckDB's buffers and key index. "
                "Read from /proc/self/status (VmHWM), because getrusage's ru_maxrss of a child process "
                "starts from its parent's peak on Linux"
            ),
        ),
    ]
