"""The two datasets every benchmark runs on: the demo, and the same 50 times larger.

Each is built once per `make bench` run (through the real load path: `etl.demo.build`
and `etl.demo.scaled`) and kept read-only in a temporary folder until the run ends; a
benchmark that writes takes a copy. `built()` says how long each build took, for
the report.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from etl import logs
from etl.config import Settings
from etl.demo.accounts import ensure
from etl.demo.build import build_demo
from etl.demo.scaled import grow, reported_cells
from etl.publish import snapshots

LARGE_SCALE = 50


@dataclass(frozen=True)
class Dataset:
    name: str  # "demo" or "50x"
    label: str  # for the report
    data_dir: Path  # read-only: copy before changing anything
    seconds: float  # how long building it took (for 50x: growing the demo to it)
    cells: int  # published reported cells
    members: int  # organisations with published figures

    def copy(self, into: Path) -> Settings:
        """A private copy of the data folder under `into`, for a benchmark that writes."""
        target = into / f"data-{self.name}"
        shutil.copytree(self.data_dir, target)
        return Settings(data_dir=target)


_built: dict[str, Dataset] = {}
_root: Path | None = None


def _folder(name: str) -> Path:
    global _root
    if _root is None:
        _root = Path(tempfile.mkdtemp(prefix="tk-bench-data-"))
        atexit.register(shutil.rmtree, _root, True)
    return _root / name / "data"


def _members(settings: Settings) -> int:
    ref = snapshots.current(settings)
    assert ref is not None
    with snapshots.open_snapshot(ref.path) as con:
        row = con.execute("SELECT count(DISTINCT org_code) FROM fact_reported").fetchone()
    return int(row[0]) if row else 0


def _dataset(name: str, settings: Settings, seconds: float) -> Dataset:
    ensure(settings)  # the demo accounts, as `python -m etl demo` makes them (the 50x data is synthetic too)
    cells = reported_cells(settings)
    return Dataset(name, f"{name} ({cells:,} cells)", settings.data_dir, seconds, cells, _members(settings))


def demo() -> Dataset:
    if "demo" not in _built:
        settings = Settings(data_dir=_folder("demo"))
        logs.configure(settings)  # as `python -m etl demo`: the demo benchmark reads where its time went
        started = time.perf_counter()
        build_demo(settings)
        _built["demo"] = _dataset("demo", settings, time.perf_counter() - started)
    return _built["demo"]


def large() -> Dataset:
    if "50x" not in _built:
        settings = Settings(data_dir=_folder("50x"))
        shutil.copytree(demo().data_dir, settings.data_dir)
        started = time.perf_counter()
        grow(settings, LARGE_SCALE)  # on a copy of the demo built above
        _built["50x"] = _dataset("50x", settings, time.perf_counter() - started)
    return _built["50x"]


def both() -> list[Dataset]:
    return [demo(), large()]


def built() -> list[Dataset]:
    return list(_built.values())
