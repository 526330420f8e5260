from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from etl.periods import Period, parse_period


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("2024", "2024"),
        ("2024H1", "2024H1"),
        ("2024-H1", "2024H1"),
        ("2024 h2", "2024H2"),
        ("H1/2024", "2024H1"),
        (" 2024h2 ", "2024H2"),
        (2023, "2023"),
    ],
)
def test_accepted_spellings(text, code):
    period = parse_period(text)
    assert period is not None and period.code == code


@pytest.mark.parametrize("text", ["", "2024H3", "24H1", "2024Q1", "1899", "20245", "H1", None, 3.5])
def test_rejected_spellings(text):
    assert parse_period(text) is None


def test_dates_and_ending():
    h1 = Period(2024, 1)
    assert (h1.start, h1.end) == (date(2024, 1, 1), date(2024, 6, 30))
    assert Period(2024, 0).end == date(2024, 12, 31)
    assert h1.has_ended(date(2024, 7, 1))
    assert not h1.has_ended(date(2024, 6, 30))
    assert Period(2024, 2).year_period == Period(2024, 0)


@given(st.integers(2000, 2099), st.sampled_from([0, 1, 2]))
def test_canonical_code_round_trips(year, half):
    period = Period(year, half)
    assert parse_period(period.code) == period
    assert parse_period(period.code.lower()) == period
