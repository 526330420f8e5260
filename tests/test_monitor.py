"""`python -m etl check`: what a monitoring job is told, and its exit code, on real data folders."""

from __future__ import annotations

import os
import subprocess
import sys
import time

from etl.cli.main import main
from etl.i18n import t
from etl.ops.monitor import SPOOL_MINUTES, Finding, check
from etl.publish import snapshots

HOLD_OPEN = "import duckdb, sys; con = duckdb.connect(sys.argv[1]); print('open', flush=True); sys.stdin.readline()"


def test_the_newest_version_served_and_no_spool_is_no_alert(demo_settings, capsys):
    assert check(demo_settings) == [Finding("monitor.served_latest", {"served": "10"}, alert=False)]
    assert main(["--lang", "en", "check"]) == 0
    assert capsys.readouterr().out.strip() == t("monitor.served_latest", "en", served="10")


def test_an_interrupted_publication_is_an_alert_until_a_publish_finishes_it(demo_settings, capsys):
    snapshots.switch(demo_settings, 9)  # what a crash between the warehouse commit and the pointer leaves
    assert check(demo_settings) == [Finding("monitor.served_behind", {"served": "9", "latest": "10"})]
    assert main(["--lang", "fi", "check"]) == 1
    assert capsys.readouterr().err.strip() == t("monitor.served_behind", "fi", served="9", latest="10")
    assert main(["publish"]) == 0  # nothing to publish, but the writer repairs the pointer first
    assert [f.key for f in check(demo_settings)] == ["monitor.served_latest"]


def test_audit_rows_waiting_in_the_spool_too_long_are_an_alert(demo_settings):
    spool = demo_settings.audit_spool_dir
    spool.mkdir(parents=True, exist_ok=True)
    waiting = spool / "20261128T120000-abc.json"
    waiting.write_text("{}", encoding="utf-8")
    assert [f.alert for f in check(demo_settings)] == [False]  # just written: the next writer takes it
    old = time.time() - SPOOL_MINUTES * 60 - 1
    os.utime(waiting, (old, old))
    assert check(demo_settings)[0] == Finding("monitor.spool_stale", {"count": 1, "minutes": SPOOL_MINUTES})


def test_a_write_in_progress_is_not_an_alert(demo_settings):
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_OPEN, str(demo_settings.warehouse_path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "open"
        assert check(demo_settings) == [Finding("monitor.served_writer_busy", {"served": "10"}, alert=False)]
    finally:
        holder.communicate("\n", timeout=30)
