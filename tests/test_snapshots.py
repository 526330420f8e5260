"""Published snapshots: atomic switch, old versions kept, one writer at a time."""

import hashlib
import subprocess
import sys
import threading
import time

import duckdb
import pytest

from etl.errors import BusyError
from etl.publish import snapshots
from etl.publish import versions as publish
from etl.warehouse import load
from etl.warehouse.writer import writer, writer_lock
from tests.helpers import long_csv, publish_correction

# The tiny warehouse (tests/tiny.py): publishing again takes a second, where the demo's takes half a minute.
TOTAL_2024 = "SELECT sum(value) FROM fact WHERE measure = 'PERS_NEW' AND dim1 = '_T' AND period = '2024'"
TINY_VERSION = 4


def _resend_2024(settings, extra: int) -> int:
    return publish_correction(settings, "delta", "2024", extra)


def test_versions_are_kept_and_addressable(demo_settings):
    assert snapshots.list_versions(demo_settings) == list(range(1, 11))
    assert snapshots.current(demo_settings).version == 10
    old = snapshots.get(demo_settings, 3)
    with snapshots.open_snapshot(old.path) as con:
        assert con.execute("SELECT version FROM meta").fetchone()[0] == 3
        assert con.execute("SELECT max(year) FROM fact").fetchone()[0] == 2018


def test_publish_while_a_reader_holds_the_old_snapshot(tiny_settings):
    before = snapshots.current(tiny_settings)
    reader = snapshots.open_snapshot(before.path)
    old_total = reader.execute(TOTAL_2024).fetchone()[0]

    version = _resend_2024(tiny_settings, extra=7)

    assert version == before.version + 1
    assert reader.execute(TOTAL_2024).fetchone()[0] == old_total  # the old reader is undisturbed
    reader.close()
    after = snapshots.current(tiny_settings)
    assert after.version == version
    with snapshots.open_snapshot(after.path) as fresh:
        assert fresh.execute(TOTAL_2024).fetchone()[0] == old_total + 7
    assert before.path.is_file()  # the earlier snapshot stays for permalinks


def test_snapshot_connection_is_read_only_and_closed_to_files(demo_settings):
    with snapshots.open_snapshot(snapshots.current(demo_settings).path) as con:
        with pytest.raises(duckdb.Error):
            con.execute("DELETE FROM fact")
        with pytest.raises(duckdb.PermissionException):
            con.execute("SELECT * FROM read_csv('/etc/hostname')")
        with pytest.raises(duckdb.Error):
            con.execute("SET enable_external_access = true")


def _digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_second_writer_is_told_busy_and_changes_nothing(demo_settings):
    script = "from etl.warehouse.writer import writer\nimport time\nwith writer(what='holder'):\n print('held', flush=True)\n time.sleep(30)"
    holder = subprocess.Popen(
        [sys.executable, "-c", script],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        before = _digest(demo_settings.warehouse_path)
        with pytest.raises(BusyError) as raised, writer(demo_settings, what="second"):
            pass
        assert "holder" in raised.value.message("en")
        assert "Try again" in raised.value.message("en")
        assert "Yritä" in raised.value.message("fi")
        cli = subprocess.run(
            [sys.executable, "-m", "etl", "--lang", "en", "publish"],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert cli.returncode == BusyError.exit_code
        assert "busy" in cli.stderr.lower() or "being written" in cli.stderr
        assert "Traceback" not in cli.stderr
        with pytest.raises(BusyError):
            load.load_bytes(long_csv(["demo-tyo;2025;PERS_NEW;;;1;"]), "x.csv", "tester", demo_settings)
        assert _digest(demo_settings.warehouse_path) == before
    finally:
        holder.kill()
        holder.wait()
    # the busy attempt was spooled and reaches the audit log with the next writer
    with writer(demo_settings, what="after") as con:
        busy = con.execute("SELECT count(*) FROM audit_log WHERE outcome = 'busy'").fetchone()[0]
    assert busy == 1


def test_an_interrupted_publication_is_finished_by_the_next_writer(tiny_settings, monkeypatch):
    def killed(*args, **kwargs):
        raise KeyboardInterrupt("killed after commit")

    monkeypatch.setattr(snapshots, "build", killed)
    with pytest.raises(KeyboardInterrupt):
        _resend_2024(tiny_settings, extra=3)
    monkeypatch.undo()
    assert snapshots.current(tiny_settings).version == TINY_VERSION  # still the last complete version
    with writer(tiny_settings, what="next"):
        pass
    assert snapshots.current(tiny_settings).version == TINY_VERSION + 1


def test_nothing_to_publish_makes_no_version(demo_settings):
    with writer(demo_settings) as con:
        assert publish.publish_drafts(con, demo_settings, "tester") is None
    assert snapshots.current(demo_settings).version == 10


def test_dashboard_notices_a_new_version_without_restart(tiny_settings):
    from dashboard.reading import data

    first = data.current_snapshot()
    total_before = data.run_query(first.path, "network_new_clients_by_year").set_index("year").loc[2024, "value"]
    time.sleep(0.01)
    _resend_2024(tiny_settings, extra=5)
    second = data.current_snapshot()
    assert second.version == first.version + 1
    total_after = data.run_query(second.path, "network_new_clients_by_year").set_index("year").loc[2024, "value"]
    assert total_before > 0 and total_after == total_before + 5


def test_a_writer_waits_out_a_moment_long_hold_but_not_a_long_one(settings):
    """A sign-in's audit flush holds the lock for a moment: a load started then waits instead of failing."""
    released = threading.Event()

    def hold_briefly() -> None:
        with writer_lock(settings, "audit flush"):
            held.set()
            time.sleep(0.3)
        released.set()

    held = threading.Event()
    holder = threading.Thread(target=hold_briefly)
    holder.start()
    try:
        assert held.wait(10)
        with writer(settings, what="load") as con:  # waited for the flush to finish
            assert released.is_set()
            assert con.execute("SELECT 1").fetchone() == (1,)
    finally:
        holder.join()
    with writer_lock(settings, "a long load"):
        started = time.monotonic()
        with pytest.raises(BusyError), writer(settings, what="load", wait=0.2):
            pass
        assert time.monotonic() - started >= 0.2  # it did wait, then said busy
        with pytest.raises(BusyError), writer(settings, what="audit flush", wait=0):  # a sign-in never waits
            pass
