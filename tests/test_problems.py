"""A problem's message names measures and breakdowns as a person knows them, with the code the file uses."""

from hypothesis import given
from hypothesis import strategies as st

from etl.intake.problems import WARNING, Problem, grouped, readable, row_ranges


def test_measures_and_dimensions_are_named_with_their_code_in_each_language():
    problem = Problem(
        "breakdown_sum", value="12", params={"measure": "PERS_NEW", "dimension": "exploitation_form × sex", "sum": 11}
    )
    assert problem.message("en") == (
        "The total of New clients (PERS_NEW) is 12, but its breakdown by Form of exploitation (exploitation_form)"
        " × Sex (sex) sums to 11. Correct the total or the breakdown (use UNK for the unknown part)."
    )
    assert "Uudet asiakkaat (PERS_NEW)" in problem.message("fi") and "Sukupuoli (sex)" in problem.message("fi")
    assert "Nya klienter (PERS_NEW)" in problem.message("sv") and "Kön (sex)" in problem.message("sv")


def test_unknown_codes_and_other_parameters_are_left_as_they_are():
    params = {"measure": "NOT_A_MEASURE", "dimension": "sex, colour", "whole": "PERS_ACTIVE", "sum": 3}
    assert readable(params, "en") == {
        "measure": "NOT_A_MEASURE",
        "dimension": "Sex (sex), colour",
        "whole": "Clients during the period (PERS_ACTIVE)",
        "sum": 3,
    }
    assert params["measure"] == "NOT_A_MEASURE" and params["dimension"] == "sex, colour"  # not changed in place


def test_the_same_problem_on_many_rows_is_one_group_listing_them():
    found = [Problem("negative_value", row=row, column="value", value="-1") for row in (7, 3, 4, 5, 9)]
    found += [Problem("negative_value", row=8, column="value", value="-2")]  # another value: another message
    found += [Problem("negative_value", severity=WARNING, row=3, column="value", value="-1")]
    groups = grouped(found, "en")
    assert [(g.severity, g.rows, g.values) for g in groups] == [
        ("error", (3, 4, 5, 7, 9), ("-1",)),
        ("error", (8,), ("-2",)),
        ("warning", (3,), ("-1",)),
    ]
    assert groups[0].location("en") == "rows 3–5, 7, 9 (5 rows), column value"
    assert groups[0].location("fi") == "rivit 3–5, 7, 9 (5 riviä), sarake value"
    assert groups[1].location("sv") == Problem("x", row=8, column="value").location("sv")  # one row reads as before


@given(st.sets(st.integers(1, 400), min_size=1, max_size=60))
def test_row_ranges_list_exactly_the_rows(rows):
    listed = set()
    for part in row_ranges(tuple(rows)).split(", "):
        first, _, last = part.partition("–")
        listed |= set(range(int(first), int(last or first) + 1))
    assert listed == rows
