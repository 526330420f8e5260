"""Two dashboard processes serve the same snapshots while a third process publishes: both switch, neither fails.

This is the scale-out of docs/deployment.md in small: the dashboards share one data
folder (as they would share a network or object store), read its snapshots
read-only and learn of a new version from CURRENT.json on their next page, while
the single writer, a separate `python -m etl load FILE --publish` process, adds
versions. Viewers alternate between the two processes.
"""

from __future__ import annotations

import pytest

from bench.harness.server import DashboardServer, is_healthy
from bench.harness.updates import update_files
from bench.harness.viewers import viewers_while_publishing

pytestmark = pytest.mark.reliability
FILES = 2
VIEWERS = 4


def test_two_dashboards_on_one_data_folder_both_switch_while_a_third_process_publishes(data_dir, tmp_path):
    files = update_files(data_dir, tmp_path / "files", FILES)
    with (
        DashboardServer(data_dir, tmp_path / "one.log", public=True) as one,
        DashboardServer(data_dir, tmp_path / "two.log", public=True) as two,
    ):
        outcome = viewers_while_publishing([one.url, two.url], data_dir, files, viewers=VIEWERS)
        assert one.running and two.running
        assert is_healthy(one.url) and is_healthy(two.url)
    print(outcome.summary())

    assert outcome.failed_publications() == []
    assert outcome.problems() == []
    assert outcome.latest == 10 + FILES
    # Viewers 0, 2, 4 used the first process and 1, 3, 5 the second: each process served the new version.
    for process in (0, 1):
        finals = {outcome.final[v].version for v in range(process, VIEWERS, 2)}
        assert finals == {outcome.latest}, (process, finals)
        seen = {s.version for v in range(process, VIEWERS, 2) for s in outcome.seen[v]}
        assert len(seen) >= 2, (process, seen)  # it switched while serving
