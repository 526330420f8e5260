"""A problem's message names measures and breakdowns as a person knows them, with the code the file uses."""

from etl.intake.problems import Problem, readable


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
