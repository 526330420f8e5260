"""The demo benchmark says where the build's time goes, from the protection log (bench.bench_demo)."""

import logging

from bench.bench_demo import protections, where_the_time_goes
from tests.disclosure.builders import one_d, run


def test_the_protection_log_gives_each_year_its_unknowns_and_time(tmp_path, caplog):
    with caplog.at_level(logging.INFO, logger="etl.disclosure.engine"):
        run(one_d("a", "sex", {"F": 9, "M": 3}) + one_d("b", "sex", {"F": 8, "M": 7}))
    [record] = [r for r in caplog.records if "nodes" in r.msg]
    line = "2026-12-07 08:00:00,000 1 INFO {}: {}"
    log = tmp_path / "tilannekuva.log"
    log.write_text(
        "\n".join(
            [
                line.format(record.name, record.getMessage()),
                line.format(record.name, record.msg % (2021, 5837, 1, 83.3)),  # the engine's own wording
                line.format(record.name, record.msg % (2022, 1007, 1, 6.1)),
            ]
        )
    )
    year, nodes, before, _ = record.args
    assert protections(log)[0][:3] == (year, nodes, before)
    seconds = protections(log)[0][3]  # as the log writes it (to 0.1 s): the sum is of what the log says
    assert protections(log)[1:] == [(2021, 5837, 1, 83.3), (2022, 1007, 1, 6.1)]
    said = where_the_time_goes(log, 2)
    assert said.startswith(f"3 protections of a year took {seconds + 83.3 + 6.1:.0f} s in all (2 at a time)")
    assert "The longest, 2021 against 1 earlier version(s), 83 s: its model has 5,837 unknowns" in said


def test_without_a_log_it_says_so(tmp_path):
    assert protections(tmp_path / "none.log") == []
    assert where_the_time_goes(tmp_path / "none.log", 2) == "no protection times in the build's log"
