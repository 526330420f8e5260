"""A second writer while a load holds the writer lock: "busy, try again", and nothing is corrupted.

The first writer is `python -m etl load FILE --publish`. The second is the same
command for another file, started beforehand and held at the starting line
(tests/reliability/processes.py), then released the moment the first one reports
that it is checking the file (it holds the lock from before that line), and once
more when it reports that it is publishing. Both attempts must be refused at once
with the busy message naming the first writer, keep nothing of their file, and leave
one audit row each; afterwards the warehouse, the audit chain and the served snapshot
are intact, and the same command run again succeeds.

The same with the coordinator's upload page as the first writer, in a real browser:
tests/e2e/test_upload_page_second_writer.py (marked reliability too).
"""

from __future__ import annotations

import hashlib
import json

import pytest

from bench.harness.expected import reported_new_clients
from bench.harness.updates import update_files
from etl.config import Settings
from etl.i18n import t
from etl.publish import snapshots
from etl.warehouse import audit
from etl.warehouse.writer import writer
from tests.reliability.processes import HeldCommand, run_etl, start_etl

pytestmark = pytest.mark.reliability
BUSY_EXIT = 75  # etl.errors.BusyError.exit_code (EX_TEMPFAIL)


def _stage(key: str) -> str:
    """The start of a progress line (the text before its first placeholder)."""
    return t(f"contrib.stage_{key}", "en", size=0, rows=0, tables=0).split("0")[0]


def test_a_second_load_while_the_first_holds_the_lock_is_told_busy(data_dir, tmp_path):
    settings = Settings(data_dir=data_dir)
    # Two members' corrections of a year: the attempts are released by the first load's own progress
    # lines, so its length does not matter, only that it holds the lock from its check to its publication.
    first_file, second_file = update_files(data_dir, tmp_path / "files", 2)
    before = snapshots.current(settings)
    assert before is not None
    attempts = [HeldCommand(data_dir, "load", str(second_file), "--by", "second", "--publish") for _ in range(2)]

    first = start_etl(data_dir, "load", str(first_file), "--by", "first", "--publish")
    assert first.stderr is not None
    released = 0
    for line in first.stderr:  # release one attempt as the check begins, one as the publication begins
        if (line.startswith(_stage("screen")) and released == 0) or line.startswith(_stage("publish")):
            attempts[released].go()
            released += 1
    assert first.wait(timeout=120) == 0, first.stdout and first.stdout.read()
    assert released == 2

    for code, _out, err in (attempt.result() for attempt in attempts):
        assert code == BUSY_EXIT, err
        assert err.strip().startswith(t("busy.writer", "en", holder="\x00").split("\x00")[0]), err
        assert f"load {first_file.name} (pid {first.pid}," in err  # it names who holds the lock
    served = snapshots.current(settings)
    assert served is not None and served.version == before.version + 1  # the first load's publication
    sha = hashlib.sha256(second_file.read_bytes()).hexdigest()
    assert not list(settings.raw_dir.glob(f"{sha}.*"))  # a busy attempt keeps nothing of its file
    assert len(list(settings.audit_spool_dir.glob("*.json"))) == 2  # its row waits for the next writer

    retry = run_etl(data_dir, "load", str(second_file), "--by", "second", "--publish")
    assert retry.returncode == 0, retry.stderr
    with writer(settings) as con:
        assert audit.verify(con) == []
        rows = con.execute(
            "SELECT outcome, detail FROM audit_log WHERE actor = 'second' AND action = 'load' ORDER BY id"
        ).fetchall()
        latest = snapshots.latest_version(con)
    assert [outcome for outcome, _ in rows] == ["busy", "busy", "loaded"]
    assert all(json.loads(detail)["sha256"] == sha for _, detail in rows)
    final = snapshots.current(settings)
    assert final is not None and final.version == latest == before.version + 2
    assert list(settings.audit_spool_dir.glob("*.json")) == []
    assert reported_new_clients(final.path) != reported_new_clients(served.path)  # the retry's figures are served
