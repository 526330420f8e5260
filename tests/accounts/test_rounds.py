"""Reporting rounds: staff open, change and close them (each audited); everyone reads the open ones."""

from __future__ import annotations

from datetime import date

import pytest

from etl.errors import InputError, NotFoundError
from etl.services import rounds
from etl.services.access import AccessDenied, Caller, Role
from tests.accounts.helpers import audit_rows

STAFF = Caller("test-coordinator", Role.COORDINATOR)


def test_staff_open_change_and_close_a_round(tiny_settings):
    assert rounds.open_rounds(tiny_settings) == []
    opened = rounds.open_round(tiny_settings, STAFF, "2025-H2", date(2026, 1, 31), ["SERVICE_PERS", "PERS_NEW"])
    assert opened == rounds.Round("2025H2", date(2026, 1, 31), ("PERS_NEW", "SERVICE_PERS"), "test-coordinator")
    rounds.open_round(tiny_settings, STAFF, "2025", date(2026, 3, 31), ["PERS_NEW"])
    assert [r.period for r in rounds.open_rounds(tiny_settings)] == ["2025H2", "2025"]  # nearest deadline first
    rounds.open_round(tiny_settings, STAFF, "2025H2", date(2026, 4, 30), ["PERS_NEW"])  # a later deadline
    assert [(r.period, r.deadline) for r in rounds.open_rounds(tiny_settings)] == [
        ("2025", date(2026, 3, 31)),
        ("2025H2", date(2026, 4, 30)),
    ]
    rounds.close_round(tiny_settings, STAFF, "2025")
    assert [r.period for r in rounds.open_rounds(tiny_settings)] == ["2025H2"]
    with pytest.raises(NotFoundError) as again:
        rounds.close_round(tiny_settings, STAFF, "2025")
    assert again.value.key == "rounds.not_open"
    rows = audit_rows(tiny_settings, "round_open") + audit_rows(tiny_settings, "round_close")
    assert rows == [("test-coordinator", "round_open", "ok")] * 3 + [("test-coordinator", "round_close", "ok")]


@pytest.mark.parametrize(
    ("period", "deadline", "measures", "key"),
    [
        ("2025H3", date(2026, 1, 31), ["PERS_NEW"], "rounds.bad_period"),
        ("2025H2", date(2026, 1, 31), [], "rounds.bad_measures"),
        ("2025H2", date(2026, 1, 31), ["PERS_NEW", "NOT_A_MEASURE"], "rounds.bad_measures"),
        ("2025H2", date(2025, 12, 31), ["PERS_NEW"], "rounds.deadline_too_early"),
    ],
)
def test_a_round_that_cannot_be_is_refused(tiny_settings, period, deadline, measures, key):
    with pytest.raises(InputError) as refused:
        rounds.open_round(tiny_settings, STAFF, period, deadline, measures)
    assert refused.value.key == key
    assert rounds.open_rounds(tiny_settings) == []


def test_only_staff_open_and_close_rounds(tiny_settings):
    rounds.open_round(tiny_settings, STAFF, "2025H2", date(2026, 1, 31), ["PERS_NEW"])
    for caller in (Caller("m", Role.MEMBER, "alfa"), Caller("o", Role.OBSERVER), None):
        with pytest.raises(AccessDenied):
            rounds.open_round(tiny_settings, caller, "2025", date(2026, 3, 31), ["PERS_NEW"])
        with pytest.raises(AccessDenied):
            rounds.close_round(tiny_settings, caller, "2025H2")
    assert [r.period for r in rounds.open_rounds(tiny_settings)] == ["2025H2"]
