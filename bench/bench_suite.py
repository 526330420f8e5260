"""The whole test suite as `make test` runs it (pytest-xdist, one worker per core), timed against its goal."""

from __future__ import annotations

import os
import re
import resource
import subprocess
import sys
import time
from pathlib import Path

from bench.report import Result

TITLE = "The test suite (`make test`)"
GOAL_MIN = 8
ROOT = Path(__file__).resolve().parent.parent
SLOWEST = 4  # tests named in the note
DURATIONS = ROOT / "test-artifacts" / "suite-durations.txt"  # every step over a second, for whoever speeds the suite up


def run(workdir: Path) -> list[Result]:
    command = [sys.executable, "-m", "pytest", "-n", "auto", "--dist", "loadscope", "--no-loadscope-reorder", "-q"]
    command += ["-p", "no:cacheprovider"]
    command += [f"--basetemp={workdir / 'tmp'}", "--durations=0", "--durations-min=1"]
    started = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    minutes = (time.perf_counter() - started) / 60
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    summary = next((line.strip("= ") for line in reversed(done.stdout.splitlines()) if " in " in line), "no summary")
    steps = slowest(done.stdout)
    DURATIONS.parent.mkdir(parents=True, exist_ok=True)
    DURATIONS.write_text("".join(f"{seconds:8.1f} s  {what:8s} {test}\n" for seconds, what, test in steps))
    named = "; ".join(f"{test.split('::')[-1]} {seconds:.0f} s" for seconds, _, test in steps[:SLOWEST])
    named += f" (every step over a second: {DURATIONS.relative_to(ROOT)})"
    failed = re.findall(r"^(?:FAILED|ERROR) (\S+)", done.stdout, re.MULTILINE)
    if failed:
        print(done.stdout[-20000:], flush=True)  # the person running the benchmark sees why
        named += "; failed: " + ", ".join(failed)
    met = minutes <= GOAL_MIN and done.returncode == 0
    why = "" if met else (
        ". Missed: the time goes to tests that publish (the demo build, once per run, and tests that "
        "publish a change to the demo, each protecting that year again: docs/disclosure.md) and to the fault "
        "and load tests that run real servers beside a writer; the disclosure engine's speed (issue 18) is "
        "the largest lever"
    )  # fmt: skip
    return [
        Result(
            f"pytest on {os.cpu_count()} workers, browser journeys and fault tests included",
            f"{minutes:.1f} min",
            goal=f"<= {GOAL_MIN} min",
            met=met,
            note=f"{summary}; exit code {done.returncode}; largest worker {peak_mb:.0f} MB; slowest: {named}{why}",
        )
    ]


def slowest(output: str) -> list[tuple[float, str, str]]:
    """(seconds, setup/call/teardown, test) of pytest's --durations report, slowest first."""
    found = re.findall(r"^([\d.]+)s (setup|call|teardown)\s+(\S+)", output, re.MULTILINE)
    return sorted(((float(seconds), what, test) for seconds, what, test in found), key=lambda step: -step[0])
