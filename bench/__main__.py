"""Run every benchmark module (bench/bench_*.py) and rewrite docs/benchmarks.md.

A module defines TITLE (a section heading) and run(workdir: Path) -> list[Result].
`python -m bench name ...` runs only the named modules and prints their section
instead of rewriting the report; `python -m bench --update name ...` writes those
sections into the report in place, each saying when it was measured.
"""

from __future__ import annotations

import importlib
import os
import sys
import tempfile
import time
from pathlib import Path

from bench.report import DOC, Result, render, update

HERE = Path(__file__).resolve().parent


def context(load_before: float) -> list[str]:
    """What the figures depend on besides the code: the datasets, and other work on the machine."""
    from bench import datasets

    lines = []
    built = datasets.built()
    if built:
        sizes = [f"{d.name}: {d.cells:,} published cells of {d.members} members" for d in built]
        lines.append(f"Datasets: {'; '.join(sizes)} (`bench/datasets.py`, built once per run through the load path).")
    lines.append(
        f"Load average (1 min) {load_before:.1f} at the start and {os.getloadavg()[0]:.1f} at the end of the run "
        f"on {os.cpu_count()} cores: other work shared the machine, so absolute times vary between runs; ratios "
        "to a baseline measured in the same run vary less."
    )
    return lines


def main(arguments: list[str]) -> int:
    load_before = os.getloadavg()[0]
    updating = "--update" in arguments
    names = [name for name in arguments if name != "--update"]
    modules = sorted(p.stem for p in HERE.glob("bench_*.py"))
    chosen = [m for m in modules if not names or m.removeprefix("bench_") in names or m in names]
    sections: dict[str, list[Result]] = {}
    for name in chosen:
        module = importlib.import_module(f"bench.{name}")
        started = time.perf_counter()
        print(f"{name} …", flush=True)
        with tempfile.TemporaryDirectory(prefix=f"tk-{name}-") as workdir:
            sections[module.TITLE] = module.run(Path(workdir))
        print(f"{name}: {time.perf_counter() - started:.1f} s", flush=True)
    if updating:
        DOC.write_text(update(DOC.read_text(encoding="utf-8"), sections), encoding="utf-8")
        print(f"updated {', '.join(sections)} in {DOC}")
        return 0
    if names:
        print(render(sections, context(load_before)))
        return 0
    DOC.write_text(render(sections, context(load_before)), encoding="utf-8")
    print(f"wrote {DOC}")
    return 0


raise SystemExit(main(sys.argv[1:]))
