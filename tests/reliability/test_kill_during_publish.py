"""The dashboard and the writer killed with SIGKILL during a publication, then the dashboard restarted.

The kill comes when the publication's data version is committed and its snapshot is
being built (a `.building-*` folder exists): the worst moment, when the warehouse
already names a version that no complete snapshot holds yet. Today the writer is
`python -m etl load FILE --publish`; once the coordinator workspace publishes from
the upload page, the dashboard process is the writer and this kill is one process.

After the restart the dashboard serves the last complete version, with its own
numbers; the next writer (here `python -m etl publish`, which has nothing to publish)
finishes the interrupted publication, and the running dashboard switches to it
without a restart.
"""

from __future__ import annotations

import os
import shutil
import signal
import time
from pathlib import Path

import pytest

from bench.harness.expected import Seen, all_versions, page_problems
from bench.harness.server import DashboardServer
from bench.harness.streamlit_client import StreamlitSession, run_sync
from bench.harness.updates import update_files
from etl.config import Settings
from etl.publish import snapshots
from etl.warehouse import audit
from etl.warehouse.writer import writer
from tests.reliability.processes import run_etl, start_etl

pytestmark = pytest.mark.reliability
ATTEMPTS = 3  # a publication that ends before the watcher sees it building is tried again on a fresh copy
WATCH_TIMEOUT = 120.0


def _page(url: str) -> Seen:
    async def visit() -> Seen:
        async with StreamlitSession(url) as session:
            return Seen.of(await session.run("", "lang=en"))

    return run_sync(visit())


def _kill_while_building(data_dir: Path, upload: Path, server: DashboardServer) -> bool:
    """Start the load, and SIGKILL it and the server once a snapshot is being built; False if it ended first."""
    snapshots_dir = Settings(data_dir=data_dir).snapshots_dir
    load = start_etl(data_dir, "load", str(upload), "--by", "kill-test", "--publish")
    deadline = time.monotonic() + WATCH_TIMEOUT
    while load.poll() is None and time.monotonic() < deadline:
        if any(snapshots_dir.glob(".building-*")):
            os.kill(load.pid, signal.SIGKILL)
            server.kill()
            load.wait(timeout=30)
            return True
        time.sleep(0.002)
    load.wait(timeout=30)
    return False


def test_killed_mid_publication_the_restarted_dashboard_serves_the_last_complete_version(demo_data_dir, tmp_path):
    for attempt in range(ATTEMPTS):
        data_dir = tmp_path / f"data{attempt}"
        shutil.copytree(demo_data_dir, data_dir)
        settings = Settings(data_dir=data_dir)
        (upload,) = update_files(data_dir, tmp_path / f"files{attempt}", 1)
        server = DashboardServer(data_dir, tmp_path / f"streamlit{attempt}.log", public=True).start()
        try:
            before = _page(server.url)
            assert before.version == 10 and not before.errors
            if _kill_while_building(data_dir, upload, server):
                print(f"killed while building the snapshot, attempt {attempt + 1}")
                break
        finally:
            server.stop()
    else:
        pytest.fail(f"no publication was caught while building its snapshot in {ATTEMPTS} attempts")

    # On disk: version 11 is committed in the warehouse, its snapshot is not complete, 10 is served.
    served = snapshots.current(settings)
    assert served is not None and served.version == 10
    assert snapshots.list_versions(settings)[-1] == 10
    assert any(settings.snapshots_dir.glob(".building-*"))

    with DashboardServer(data_dir, tmp_path / "restarted.log", public=True) as restarted:
        after_restart = _page(restarted.url)
        assert page_problems(after_restart, all_versions(data_dir)) == []
        assert after_restart.version == 10

        repair = run_etl(data_dir, "publish", "--by", "next-writer")  # the next writer finishes the publication
        assert repair.returncode == 0, repair.stderr
        assert not any(settings.snapshots_dir.glob(".building-*"))
        current = snapshots.current(settings)
        assert current is not None and current.version == 11

        switched = _page(restarted.url)  # the same process, no restart
        expected = all_versions(data_dir)
        assert page_problems(switched, expected) == []
        assert switched.version == 11 and expected[11] != expected[10]
        assert restarted.running

    with writer(settings) as con:
        assert audit.verify(con) == []
        published = con.execute("SELECT count(*) FROM submission WHERE published_version = 11").fetchone()
    assert published == (1,)  # the loaded file, published once
