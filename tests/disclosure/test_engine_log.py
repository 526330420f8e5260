"""What protecting a year writes to the log: a line per round of withholding, no warning for what it settles.

A figure that no hiding protects from a member is expected (the `<t` cells around its own
figures); the engine then withholds the tables around it. One line a round says so; the
figures themselves are detail for a debugging run, not a warning per figure (the demo's
first run wrote 556 of them).
"""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from etl.disclosure.engine import protect
from etl.disclosure.snapshot import read_inputs, read_priors
from etl.sqlfiles import open_snapshot

YEAR = 2025  # the demo's latest year: its publication withholds tables in three rounds


def _protect_latest_year(data_dir: Path) -> None:
    snapshots = sorted((data_dir / "processed" / "snapshots").glob("v*/tilannekuva.duckdb"))
    with open_snapshot(snapshots[-1]) as con:
        inputs = read_inputs(con)
        inputs.folded = frozenset(
            (m, int(y), c) for m, y, c in con.execute("SELECT measure, year, code FROM folded_country").fetchall()
        )
    inputs = read_priors(snapshots[:-1], inputs)
    protect(inputs.batch(inputs.facts[inputs.facts["year"] == YEAR]), 5, inputs.priors)


def test_withholding_is_one_line_a_round_and_no_warning(demo_data_dir, caplog: pytest.LogCaptureFixture):
    with caplog.at_level(logging.DEBUG, logger="etl.disclosure"):
        _protect_latest_year(demo_data_dir)
    records = [record for record in caplog.records if record.name.startswith("etl.disclosure")]
    rounds = [r.getMessage() for r in records if r.levelno == logging.INFO and "no hiding protects" in r.getMessage()]
    assert rounds and all(message.startswith(f"{YEAR}: ") for message in rounds)
    assert any(r.levelno == logging.DEBUG and "no cells to hide can protect" in r.getMessage() for r in records)
    assert [r.getMessage() for r in records if r.levelno >= logging.WARNING] == []
