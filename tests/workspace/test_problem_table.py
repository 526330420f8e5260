"""The upload page's list of problems: one line per distinct problem, errors before warnings."""

from dashboard.app_pages.helpers.workspace import problem_table
from etl.i18n import t
from etl.intake.problems import WARNING, Problem


def test_errors_come_before_warnings_found_earlier_in_the_file():
    left_out = Problem("measure_left_out", WARNING, params={"org": "testi", "period": "2024", "measure": "REF_TO_NAS"})
    change = Problem(
        "change_from_previous_year",
        WARNING,
        row=2,
        column="value",
        value="40",
        params={"previous": 10, "previous_period": "2023"},
    )
    negative = [Problem("negative_value", row=row, column="value", value="-3") for row in (5, 6)]
    table = problem_table([left_out, change, *negative], "en")
    severity, where = t("workspace.problems.severity", "en"), t("workspace.problems.where", "en")
    assert list(table[severity]) == [t(f"contrib.severity_{s}", "en") for s in ("error", "warning", "warning")]
    assert list(table[where]) == ["rows 5–6 (2 rows), column value", "whole file", "row 2, column value"]
