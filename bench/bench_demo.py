"""Building the synthetic demo data through the load path (what `make run` does first)."""

from __future__ import annotations

import time
from pathlib import Path

from bench.report import Result
from etl.config import Settings
from etl.demo import build_demo, demo_files

TITLE = "Demo data"


def run(workdir: Path) -> list[Result]:
    settings = Settings(data_dir=workdir / "data")
    started = time.perf_counter()
    files = demo_files(settings.demo_seed)
    generate = time.perf_counter() - started
    started = time.perf_counter()
    version = build_demo(settings)
    build = time.perf_counter() - started
    return [
        Result("generate demo files", f"{generate:.2f} s", note=f"{len(files)} files"),
        Result(
            "load and publish the demo (first `make run`)",
            f"{build:.1f} s",
            goal="< 30 s",
            met=build < 30,
            note=f"{len(files)} loads and {version} publications, each building a snapshot",
        ),
    ]
