"""One load of the benchmark file, in a process of its own so that its peak memory is its own.

`python -m bench.load_worker DATA_DIR FILE [--profile]` prints one JSON line: the
seconds of each stage of the real load path (screen and read, validate, write),
the whole load, the fact table's key check and a bare insert of the same cells (the
parts of writing), peak memory, and with --profile the functions that took most time
of their own.
"""

from __future__ import annotations

import cProfile
import io
import json
import pstats
import resource
import sys
import time
from pathlib import Path

from etl.config import Settings
from etl.warehouse import load
from etl.warehouse.writer import writer

PROFILE_TOP = 8


def peak_memory_mb() -> float:
    """This process's peak resident memory.

    VmHWM, not getrusage's ru_maxrss: Linux carries ru_maxrss over from the parent
    across fork and exec, so a child of a big benchmark process would report the
    parent's peak. VmHWM belongs to the new address space only.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _write_parts(settings: Settings, data: bytes) -> dict[str, float]:
    """Seconds of the fact table's key check for the file's cells, and of inserting them into a table like it."""
    from etl.warehouse.submissions import check_fact_keys

    with writer(settings, what="bench") as con:
        cells, _, _ = load.check(con, data, settings)
        # The fact table's columns in a table of the warehouse file; committed to disk alike.
        con.execute("CREATE TABLE bench_plain_fact AS SELECT * FROM fact LIMIT 0")
        con.register("new_cells", cells)
        started = time.perf_counter()
        check_fact_keys(con)
        checked = time.perf_counter()
        con.execute("BEGIN TRANSACTION")
        con.execute(
            "INSERT INTO bench_plain_fact SELECT 1, measure, dim1, code1, dim2, code2, value, flag FROM new_cells"
        )
        con.execute("COMMIT")
        return {"key_check": checked - started, "plain_insert": time.perf_counter() - checked}


def _top(profile: cProfile.Profile) -> list[str]:
    stream = io.StringIO()
    stats = pstats.Stats(profile, stream=stream)
    rows = []
    for (path, _line, name), (_, _, own, _, _) in stats.stats.items():  # type: ignore[attr-defined]
        rows.append((own, f"{Path(path).parent.name}/{Path(path).name}:{name}" if "/" in path else name))
    rows.sort(reverse=True)
    return [f"{label} {own:.2f} s" for own, label in rows[:PROFILE_TOP]]


def main(argv: list[str]) -> int:
    data_dir, path = Path(argv[0]), Path(argv[1])
    settings = Settings(data_dir=data_dir, max_upload_mb=1024)
    marks: dict[str, float] = {}
    started = time.perf_counter()

    def progress(stage: str, **_: object) -> None:
        marks[stage] = time.perf_counter() - started

    profile = cProfile.Profile() if "--profile" in argv else None
    if profile:
        profile.enable()
    data = path.read_bytes()
    result = load.load_bytes(data, path.name, "bench", settings, progress=progress)
    total = time.perf_counter() - started
    if profile:
        profile.disable()
    peak_mb = peak_memory_mb()
    report = {
        "outcome": result.outcome,
        "rows": result.rows,
        "problems": len(result.problems),
        "total": total,
        "open": marks.get("screen", 0.0),
        "screen_read": marks["validate"] - marks["screen"],
        "validate": marks["write"] - marks["validate"],
        "write": marks["done"] - marks["write"],
        "peak_mb": peak_mb,
    }
    if profile:
        report["profile"] = _top(profile)
    else:
        report |= _write_parts(settings, data)
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
