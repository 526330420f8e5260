"""Building the two benchmark datasets through the load path: the demo (what `make run` does first), and 50x."""

from __future__ import annotations

import os
import re
import statistics
import time
from pathlib import Path

from bench import datasets
from bench.report import Result
from etl.config import Settings
from etl.demo.build import demo_files

TITLE = "Demo data and the 50x dataset"
DEMO_GOAL_S = 15  # issue 18
# etl.disclosure.engine logs each year it protects: "2021: 5837 nodes, 1 versions before, 83.3 s"
PROTECTED_YEAR = r"(\d{4}): (\d+) nodes, (\d+) versions before, ([\d.]+) s"  # the message
PROTECTED = re.compile(r"etl\.disclosure\.engine: " + PROTECTED_YEAR)


def protections(log: Path) -> list[tuple[int, int, int, float]]:
    """(year, unknowns, earlier versions, seconds) of every year protected while the dataset was built."""
    if not log.exists():
        return []
    found = PROTECTED.findall(log.read_text(encoding="utf-8", errors="replace"))
    return [(int(year), int(nodes), int(before), float(secs)) for year, nodes, before, secs in found]


def where_the_time_goes(log: Path, workers: int) -> str:
    """What the demo's build spends its time on, from the protection log (`workers` years at a time)."""
    runs = protections(log)
    if not runs:
        return "no protection times in the build's log"
    year, nodes, before, longest = max(runs, key=lambda run: run[3])
    typical = statistics.median(run[1] for run in runs)
    return (
        f"{len(runs)} protections of a year took {sum(run[3] for run in runs):.0f} s in all ({workers} at a "
        "time): a new year changes the like-for-like groups of the years before it, so a publication protects "
        "those years "
        f"again, against every earlier version. The longest, {year} against {before} earlier version(s), "
        f"{longest:.0f} s: its model has {nodes:,} unknowns, {nodes / typical:.1f}x a year's median "
        f"({typical:,.0f}). A member's correction of a year (the demo has one) brings new unknowns for that year "
        "and the revision between them (DATA-CONTRACT 8.2)"
    )


def run(workdir: Path) -> list[Result]:
    started = time.perf_counter()
    files = demo_files(Settings(data_dir=workdir).demo_seed)
    generate = time.perf_counter() - started
    demo, large = datasets.demo(), datasets.large()
    met = demo.seconds < DEMO_GOAL_S
    workers = Settings(data_dir=demo.data_dir).protect_workers  # as the build had them
    why = (
        ""
        if met
        else f". Missed: {where_the_time_goes(demo.data_dir / 'logs' / 'tilannekuva.log', workers)}. Load average "
        f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores after the build"
    )
    return [
        Result("generate demo files", f"{generate:.2f} s", note=f"{len(files)} files"),
        Result(
            "load and publish the demo (first `make run`)",
            f"{demo.seconds:.1f} s",
            goal=f"< {DEMO_GOAL_S} s",
            met=met,
            note=f"{len(files)} loads and 10 publications, each building a snapshot; {demo.cells:,} cells{why}",
        ),
        Result(
            "grow the demo to the 50x dataset (fictional members' files loaded, one publication)",
            f"{large.seconds:.1f} s",
            note=(
                f"{large.cells:,} reported cells = {large.cells / demo.cells:.1f}x the demo's {demo.cells:,}: "
                f"{large.members - demo.members} fictional members more (`etl/demo/scaled.py`, deterministic), each "
                "with every table family for 2016-2025, half of them by half-year, loaded as one file per year"
            ),
        ),
    ]
