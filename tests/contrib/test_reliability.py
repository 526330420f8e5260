"""kill -9 of `python -m etl load FILE --publish` at random moments: never a mix, always repairable.

Each trial copies the prepared warehouse (version 1 published), starts a load that
corrects a published period and adds twenty more, and kills it with SIGKILL: at a
random time, or just after it reports a stage (checking, writing, publishing), so
that the kills also land inside the transaction and inside the publication.
Afterwards:

- what a reader sees (the snapshot CURRENT.json names) is exactly the old or the new
  published data, never a mix;
- the warehouse opens, and the next writer repairs an interrupted publication
  (the served snapshot is then the latest data version);
- the audit log is intact (its hash chain verifies).
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from etl.config import Settings
from etl.demo.synthetic import consistent_cells, long_csv_bytes
from etl.publish import snapshots
from etl.warehouse import audit
from etl.warehouse.writer import writer

pytestmark = pytest.mark.reliability
TRIALS = 16  # every stage twice (even trials) and eight random moments (odd ones)
STAGES = ("Checking the figures", "Writing", "Publishing", "Done")


def _published(settings: Settings) -> list[tuple]:
    ref = snapshots.current(settings)
    assert ref is not None
    with snapshots.open_snapshot(ref.path) as con:
        return con.execute("SELECT * FROM fact_reported ORDER BY ALL").fetchall()


def _command(path: Path) -> list[str]:
    return [sys.executable, "-m", "etl", "--lang", "en", "load", str(path), "--by", "kill-test", "--publish"]


def _environment(data_dir: Path) -> dict[str, str]:
    return {**os.environ, "TILANNEKUVA_DATA_DIR": str(data_dir)}


@pytest.fixture(scope="module")
def scenario(prepared_dir: Path, tmp_path_factory: pytest.TempPathFactory):
    """The file to load, the published facts before and after a complete load, and how long it takes."""
    work = tmp_path_factory.mktemp("kill")
    keys = [("toinen", f"{year}H{half}") for year in range(2016, 2026) for half in (1, 2)] + [("toinen", "2023")]
    upload = work / "upload.csv"
    upload.write_bytes(long_csv_bytes(consistent_cells(keys, seed=9)))
    reference = work / "reference"
    shutil.copytree(prepared_dir, reference)
    old = _published(Settings(data_dir=reference))
    started = time.perf_counter()
    process = subprocess.Popen(_command(upload), env=_environment(reference), stderr=subprocess.PIPE, text=True)
    assert process.stderr is not None
    moments: dict[str, float] = {}
    for line in process.stderr:
        for stage in STAGES:
            if line.startswith(stage):
                moments[stage] = time.perf_counter() - started
    assert process.wait(timeout=120) == 0
    duration = time.perf_counter() - started
    # How long each stage lasts, so that a kill "during" a stage can land anywhere in it.
    ends = [*sorted(moments.values()), duration]
    lasts = {stage: min(e for e in ends if e > moments[stage]) - moments[stage] for stage in STAGES}
    new = _published(Settings(data_dir=reference))
    assert old != new
    return upload, old, new, duration, lasts


def _trial(number: int, prepared_dir: Path, root: Path, scenario) -> tuple[int, str]:
    upload, old, new, duration, lasts = scenario
    rng = random.Random(number)
    data_dir = root / f"trial{number}"
    shutil.copytree(prepared_dir, data_dir)
    process = subprocess.Popen(
        _command(upload), env=_environment(data_dir), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    if number % 2:  # at a random time of the whole run
        time.sleep(rng.uniform(0, duration))
        moment = "timed"
    else:  # just after a stage begins
        stage = STAGES[(number // 2) % len(STAGES)]
        moment = _after_stage(process, stage, rng.uniform(0, lasts[stage]))
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    settings = Settings(data_dir=data_dir)
    seen = _published(settings)
    assert seen in (old, new), f"trial {number} ({moment}): a mix of versions is served"
    with writer(settings) as con:  # opens, imports the spool, repairs an interrupted publication
        latest = snapshots.latest_version(con)
        assert audit.verify(con) == []
    served = snapshots.current(settings)
    assert served is not None and served.version == latest
    repaired = _published(settings)
    assert repaired in (old, new)
    shutil.rmtree(data_dir, ignore_errors=True)
    before, after = ("new" if seen == new else "old"), ("new" if repaired == new else "old")
    return number, f"{moment}: {before}->{after}"


def _after_stage(process: subprocess.Popen, stage: str, delay: float) -> str:
    """Wait until the load reports `stage` on stderr (or ends), then a little more."""
    assert process.stderr is not None
    seen = threading.Event()

    def watch() -> None:
        assert process.stderr is not None
        for line in process.stderr:
            if line.startswith(stage):
                seen.set()
        seen.set()

    threading.Thread(target=watch, daemon=True).start()
    seen.wait(timeout=60)
    time.sleep(delay)
    return f"{stage} + {delay:.2f} s"


def test_kill_9_at_random_moments_never_serves_a_mix(prepared_dir, tmp_path, scenario):
    with ThreadPoolExecutor(max_workers=2) as pool:
        outcomes = list(pool.map(lambda n: _trial(n, prepared_dir, tmp_path, scenario), range(TRIALS)))
    assert len(outcomes) == TRIALS
    endings = {text.rsplit(": ", 1)[1] for _, text in outcomes}
    assert endings <= {"old->old", "old->new", "new->new"}, outcomes  # once new, never old again
