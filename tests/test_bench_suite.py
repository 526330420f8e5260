"""The suite benchmark reads pytest's --durations report."""

from __future__ import annotations

from bench.bench_suite import slowest

REPORT = """\
============================= slowest durations ==============================
12.50s call     tests/e2e/test_a.py::test_one
130.02s setup    tests/e2e/test_b.py::test_two[fi]
1.00s teardown tests/test_c.py::test_three

(12 durations < 1s hidden.  Use -vv to show these durations.)
= 3 passed in 140.00s (0:02:20) =
"""


def test_every_step_of_the_report_slowest_first():
    assert slowest(REPORT) == [
        (130.02, "setup", "tests/e2e/test_b.py::test_two[fi]"),
        (12.5, "call", "tests/e2e/test_a.py::test_one"),
        (1.0, "teardown", "tests/test_c.py::test_three"),
    ]


def test_no_report_no_steps():
    assert slowest("= 3 passed in 1.00s =\n") == []
