"""The file benchmark reads the engine's protection times while a step runs, and says why a goal is missed."""

import logging
from pathlib import Path

from bench.bench_file import _member_year, _why, engine_log
from tests.disclosure.builders import one_d, run


def test_the_engine_log_adds_up_the_years_protected_while_it_listens():
    with engine_log() as engine:
        run(one_d("a", "sex", {"F": 9, "M": 3}) + one_d("b", "sex", {"F": 8, "M": 7}))
        logging.getLogger("etl.disclosure.engine").info("%d: %d nodes, %d versions before, %.1f s", 2021, 5837, 1, 83.3)
        logging.getLogger("etl.disclosure.engine").info("2022: every figure as published before (1 versions)")
    [own, added] = [line for line in engine.lines if "nodes" in line]
    assert added == "2021: 5837 nodes, 1 versions before, 83.3 s"
    assert engine.protection_seconds() == float(own.rsplit(" ", 2)[1]) + 83.3
    with engine_log() as later:
        pass
    run(one_d("a", "sex", {"F": 9, "M": 3}))  # after the block: not heard
    assert later.lines == [] and later.protection_seconds() == 0
    assert not any(isinstance(h, type(later)) for h in logging.getLogger("etl.disclosure.engine").handlers)


def test_a_member_code_may_hold_dashes():
    assert _member_year(Path("01-demo-kotiapu-2025.csv")) == ("demo-kotiapu", "2025")


def test_a_missed_goal_names_the_protections_share():
    assert _why(1.5, 2, 0.9, "check 0.2 s") == "check 0.2 s"
    said = _why(4.5, 2, 2.5, "check 0.2 s")
    assert said.startswith("check 0.2 s. Missed: the protection of the corrected year")
    assert "took 2.5 s of it" in said and said.endswith("writing the new snapshot")
    assert "The other 2.0 s" in said
