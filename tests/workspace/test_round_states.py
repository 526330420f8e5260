"""Where each member stands in a reporting round (etl.services.rounds.states): a pure function."""

from __future__ import annotations

from datetime import date

import pandas as pd

from etl.services.rounds import Round, states

REGISTER = pd.DataFrame(
    [
        ("halves", date(2016, 1, 1), None),
        ("years", date(2016, 1, 1), None),
        ("both-halves", date(2016, 1, 1), None),
        ("silent", date(2016, 1, 1), None),
        ("new", date(2025, 9, 1), None),
        ("left", date(2016, 1, 1), date(2025, 6, 30)),
        ("later", date(2026, 2, 1), None),
    ],
    columns=["code", "active_from", "active_to"],
)
VERSIONS = pd.DataFrame(
    [
        ("halves", "2025H1", "H1", 1, "published"),
        ("halves", "2025H2", "H2", 1, "pending"),
        ("years", "2024", "Y", 1, "published"),
        ("both-halves", "2025H1", "H1", 1, "published"),
        ("both-halves", "2025H2", "H2", 1, "draft"),
        ("silent", "2025H2", "H2", 1, "discarded"),
    ],
    columns=["org_code", "period", "kind", "version", "status"],
)


def _states(period: str, today: date) -> dict[str, str]:
    chosen = Round(period, date(2026, 1, 31), ("PERS_NEW",), "k")
    found = states(chosen, VERSIONS, REGISTER, today)
    return dict(zip(found["org_code"], found["state"], strict=True))


def test_a_half_year_round_before_and_after_its_deadline():
    before = _states("2025H2", date(2026, 1, 15))
    assert before == {
        "halves": "received",  # waiting for approval counts as received
        "years": "yearly",  # asked in the year's round
        "both-halves": "received",
        "silent": "waiting",  # a discarded file is not a report
        "new": "waiting",  # joined during the period: either kind would do
    }  # "left" (until 30.6.2025) and "later" (from 2026) were not members in the period
    after = _states("2025H2", date(2026, 2, 1))
    assert after["silent"] == "late" and after["new"] == "late" and after["halves"] == "received"


def test_a_year_is_received_as_a_year_or_as_both_halves():
    found = _states("2025", date(2026, 2, 1))
    assert found["both-halves"] == "received" and found["halves"] == "received"
    assert found["years"] == "late" and found["silent"] == "late"
    assert found["left"] == "late"  # a member for the first half of 2025
