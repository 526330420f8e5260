"""Viewers keep loading pages while files are loaded and published: no errors, never a mix.

Sized to prove the behaviour (4 viewers, 3 publications); bench/bench_viewers.py runs the
full workload (20 viewers, 10 publications) for docs/benchmarks.md.

The viewers are Streamlit websocket sessions (bench/harness/streamlit_client.py), not
Chromium tabs: the server does the same work for both, and twenty browsers would
starve a two-core machine of the CPU the server needs. The dashboard runs in public
mode, so the viewers need no accounts. Every page names its data version (caption,
permalink, figure id); the page is correct when it names exactly one version and its
chart shows exactly that version's numbers, read from the snapshot with our own SQL.
The p95 page time is printed here and measured for docs/benchmarks.md by
bench/bench_viewers.py (speed is not asserted in tests).
"""

from __future__ import annotations

import pytest

from bench.harness.server import DashboardServer
from bench.harness.updates import update_files
from bench.harness.viewers import viewers_while_publishing

pytestmark = pytest.mark.reliability
VIEWERS = 4
FILES = 3


def test_viewers_while_files_are_published(data_dir, tmp_path):
    files = update_files(data_dir, tmp_path / "files", FILES)
    with DashboardServer(data_dir, tmp_path / "streamlit.log", public=True) as server:
        outcome = viewers_while_publishing([server.url], data_dir, files, viewers=VIEWERS)
        assert server.running, server.output_tail()
    print(outcome.summary())

    assert outcome.failed_publications() == []
    assert outcome.latest == 10 + FILES  # every publication made a complete snapshot
    assert outcome.problems() == []
    assert {seen.version for seen in outcome.final.values()} == {outcome.latest}  # all switched, no restart
    assert len(outcome.versions_seen()) >= 3  # the viewers were reading while versions changed
