"""The shape of a benchmark result and the report it goes into."""

from __future__ import annotations

import os
import platform
import subprocess
from dataclasses import dataclass
from datetime import date
from pathlib import Path

DOC = Path(__file__).resolve().parent.parent / "docs" / "benchmarks.md"


@dataclass
class Result:
    benchmark: str  # which goal it measures, e.g. "load 1M rows vs DuckDB read_csv"
    measured: str  # the figure with its unit, e.g. "2.4 s"
    goal: str = ""  # e.g. "<= 3x DuckDB"
    baseline: str = ""  # what it is compared with, measured in the same run
    ratio: str = ""
    met: bool | None = None  # None when the figure has no goal
    note: str = ""  # where the time goes, or why a goal is missed and what would close it


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f", {kib / 1024 / 1024:.0f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    system = f"{platform.system()} {platform.release()}"
    return f"{cpu}, {os.cpu_count()} cores{memory}, {system}, Python {platform.python_version()}"


def _commit() -> str:
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "?"


def render(sections: dict[str, list[Result]], context: list[str] | None = None) -> str:
    """The report; `context` lines (datasets, the machine's load) go under the machine line."""
    lines = [
        "# Benchmarks",
        "",
        "<!-- Written by `make bench` (python -m bench); do not edit by hand. -->",
        "",
        f"Machine: {machine()}. Date: {date.today().isoformat()}. Commit: {_commit()}.",
        "",
        *[f"{line}\n" for line in context or []],
        "Each figure is measured beside its baseline in the same run. A missed goal says why.",
        "",
    ]
    for title, results in sections.items():
        lines += section(title, results)
    return "\n".join(lines).rstrip() + "\n"


def section(title: str, results: list[Result], stamp: str = "") -> list[str]:
    """One section's lines: heading, an optional line saying when it was measured, the table, the notes."""
    lines = [f"## {title}", "", *([stamp, ""] if stamp else [])]
    lines += ["| benchmark | measured | baseline | ratio | goal | met |", "| --- | --- | --- | --- | --- | --- |"]
    for r in results:
        met = "" if r.met is None else ("yes" if r.met else "**no**")
        lines.append(f"| {r.benchmark} | {r.measured} | {r.baseline} | {r.ratio} | {r.goal} | {met} |")
    notes = [f"- {r.benchmark}: {r.note}" for r in results if r.note]
    return [*lines, "", *notes, ""] if notes else [*lines, ""]


def update(report: str, sections: dict[str, list[Result]]) -> str:
    """The report with these sections measured anew (replaced in place, or added at the end), each dated."""
    stamp = f"Measured alone on {date.today().isoformat()}, commit {_commit()}, machine as above."
    for title, results in sections.items():
        new = "\n".join(section(title, results, stamp)).rstrip() + "\n"
        heading = f"## {title}\n"
        start = report.find(heading)
        if start < 0:
            report = report.rstrip() + "\n\n" + new
            continue
        end = report.find("\n## ", start + len(heading))
        report = report[:start] + new + (report[end:] if end >= 0 else "")
    return report
