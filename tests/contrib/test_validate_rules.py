"""Each rule of DATA-CONTRACT 2-7 on its own, with the exact problem it gives (code, place, value, params)."""

from __future__ import annotations

import re
from datetime import date

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from etl.intake.cell_rules import parse_value
from etl.intake.shapes import Context, OrgInfo
from etl.intake.sniff import Table
from etl.intake.validate import validate_table, validate_tables

TODAY = date(2026, 11, 28)
ORGS = {
    "testi": OrgInfo("testi", date(2016, 1, 1), None),
    "lopettanut": OrgInfo("lopettanut", date(2016, 1, 1), date(2019, 12, 31)),
}
COLUMNS = ["organisation", "period", "measure", "exploitation_form", "sex", "value", "flag"]
OK = [
    ["testi", "2024H1", "PERS_NEW", "", "", "12", ""],
    ["testi", "2024H1", "PERS_NEW", "LAB", "", "9", ""],
    ["testi", "2024H1", "PERS_NEW", "SEX", "", "3", ""],
]


def _check(rows, columns=COLUMNS, history=None, today=TODAY):
    frame = pd.DataFrame(rows, columns=columns, dtype=object)
    return validate_table(Table(frame), Context(ORGS, today, history))


def _found(rows, columns=COLUMNS, **options):
    """(code, row, column, value, params) of every problem."""
    result = _check(rows, columns, **options)
    return [(p.code, p.row, p.column, p.value, p.params) for p in result.problems]


def test_a_consistent_table_has_no_problems_and_becomes_canonical_cells():
    result = _check(OK)
    assert result.problems == []
    cells = result.cells[["org_code", "period", "measure", "dim1", "code1", "dim2", "code2", "value", "row"]]
    assert [tuple(r) for r in cells.astype(object).itertuples(index=False)] == [
        ("testi", "2024H1", "PERS_NEW", "_T", "_T", "_T", "_T", 12, 2),
        ("testi", "2024H1", "PERS_NEW", "exploitation_form", "LAB", "_T", "_T", 9, 3),
        ("testi", "2024H1", "PERS_NEW", "exploitation_form", "SEX", "_T", "_T", 3, 4),
    ]


def test_labels_in_any_language_and_spellings_are_stored_as_codes():
    rows = [
        [" Testi ", "2024-H1", "Uudet asiakkaat", "", "", "12", "p"],
        ["testi", "H1/2024", "New clients", "Tvångsarbete / arbetskraftsexploatering", "", "9", ""],
        ["TESTI", "2024 h1", "nya klienter", "sexual EXPLOITATION", "", "3", ""],
    ]
    result = _check(rows)
    assert result.problems == []
    assert list(result.cells["code1"]) == ["_T", "LAB", "SEX"]
    assert set(result.cells["period"]) == {"2024H1"} and set(result.cells["org_code"]) == {"testi"}
    assert result.cells["flag"].tolist()[0] == "P" and result.cells["flag"].isna().tolist() == [False, True, True]


def test_organisation_must_be_known_and_a_member_in_the_period():
    rows = [
        ["nobody", "2024H1", "PERS_NEW", "", "", "1", ""],
        ["lopettanut", "2019H2", "PERS_NEW", "", "", "1", ""],
        ["lopettanut", "2020", "PERS_NEW", "", "", "1", ""],
    ]
    assert _found(rows) == [
        ("unknown_organisation", 2, "organisation", "nobody", {}),
        ("inactive_organisation", 4, "organisation", "lopettanut", {"period": "2020"}),
    ]


def test_period_must_be_readable_and_over():
    rows = [
        ["testi", "2024H3", "PERS_NEW", "", "", "1", ""],
        ["testi", "2026H2", "PERS_NEW", "", "", "1", ""],
        ["testi", "2026H1", "PERS_NEW", "", "", "1", ""],
    ]
    assert _found(rows) == [
        ("bad_period", 2, "period", "2024H3", {}),
        ("future_period", 3, "period", "2026H2", {}),
    ]


def test_unknown_measure_and_code_and_a_label_in_the_wrong_column():
    rows = [
        ["testi", "2024H1", "PERS_OLD", "", "", "1", ""],
        ["testi", "2024H1", "PERS_NEW", "Kaivostyö", "", "1", ""],
        ["testi", "2024H1", "PERS_NEW", "Nainen", "", "1", ""],
        ["testi", "2024H1", "PERS_NEW", "", "LAB", "1", ""],
    ]
    assert _found(rows) == [
        ("unknown_measure", 2, "measure", "PERS_OLD", {}),
        ("unknown_code", 3, "exploitation_form", "Kaivostyö", {"dimension": "exploitation_form"}),
        ("code_in_wrong_column", 4, "exploitation_form", "Nainen", {"other": "sex"}),
        ("code_in_wrong_column", 5, "sex", "LAB", {"other": "exploitation_form"}),
    ]


def test_only_allowed_breakdowns_and_at_most_two_dimensions():
    columns = ["organisation", "period", "measure", "exploitation_form", "sex", "age_group", "value"]
    rows = [
        ["testi", "2024H1", "PERS_ACTIVE", "", "", "", "20"],
        ["testi", "2024H1", "PERS_ACTIVE", "LAB", "F", "", "3"],
        ["testi", "2024H1", "PERS_NEW", "", "", "", "9"],
        ["testi", "2024H1", "PERS_NEW", "LAB", "F", "Y18_29", "2"],
    ]
    assert _found(rows, columns) == [
        ("breakdown_not_allowed", 3, "measure", "exploitation_form × sex", {"measure": "PERS_ACTIVE"}),
        ("too_many_dimensions", 5, None, "exploitation_form, sex, age_group", {}),
    ]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("-3", "negative_value"),
        ("−3", "negative_value"),
        ("2,5", "decimal_value"),
        ("2.5", "decimal_value"),
        ("<5", "suppressed_value"),
        ("3-4", "range_value"),
        ("3–4", "range_value"),
        ("kaksi", "not_a_number"),
        ("12 34", "not_a_number"),
        ("12345678901", "value_too_large"),
    ],
)
def test_values_that_are_not_counts(text, code):
    rows = [["testi", "2024H1", "CONTACTS_ANON", "", "", text, ""]]
    assert _found(rows) == [(code, 2, "value", text, {})]


@pytest.mark.parametrize(
    ("text", "value"),
    [("0", 0), ("1234", 1234), ("1 234", 1234), ("1\u00a0234", 1234), ("1\u202f234 567", 1234567), (" 7 ", 7)],
)
def test_whole_numbers_with_thousands_separators_are_counts(text, value):
    assert parse_value(text) == (value, None)
    result = _check([["testi", "2024H1", "CONTACTS_ANON", "", "", text, ""]])
    assert result.problems == [] and list(result.cells["value"]) == [value]


def test_empty_value_is_not_collected_and_zero_is_zero():
    result = _check(
        [["testi", "2024H1", "DEPENDANTS_NEW", "", "", "", ""], ["testi", "2024H1", "CONTACTS_ANON", "", "", "0", ""]]
    )
    assert result.problems == []
    assert result.cells["value"].isna().tolist() == [True, False]
    assert result.cells["value"].iloc[1] == 0


def test_bad_flag():
    assert _found([["testi", "2024H1", "CONTACTS_ANON", "", "", "1", "X"]]) == [("bad_flag", 2, "flag", "X", {})]


def test_duplicate_cell_names_its_first_row():
    rows = [*OK, ["testi", "2024H1", "PERS_NEW", "Pakkotyö / työperäinen hyväksikäyttö", "", "9", ""]]
    assert _found(rows) == [("duplicate_cell", 5, None, "", {"first_row": 3})]


def test_missing_and_extra_and_doubled_columns():
    result = _check([["testi", "2024H1", "PERS_NEW", "1"]], ["organisation", "period", "measure", "arvo"])
    assert [(p.code, p.row, p.column) for p in result.problems] == [
        ("unknown_column", 1, "arvo"),
        ("missing_column", 1, "value"),
    ]
    result = _check(
        [["testi", "2024H1", "PERS_NEW", "1", "1"]], ["organisation", "period", "measure", "value", "Value"]
    )
    assert [(p.code, p.column) for p in result.problems] == [("duplicate_column", "Value")]


def test_dimension_labels_are_accepted_as_headers():
    result = _check(
        [["testi", "2024H1", "PERS_NEW", "1", "F"], ["testi", "2024H1", "PERS_NEW", "1", ""]],
        ["organisation", "period", "measure", "value", "Sukupuoli"],
    )
    assert result.problems == []
    assert list(result.cells["dim1"]) == ["sex", "_T"]


# The sum rules --------------------------------------------------------------------------------


def test_a_breakdown_needs_its_total():
    assert _found(OK[1:]) == [
        ("missing_total", 2, "exploitation_form", "9", {"measure": "PERS_NEW", "dimension": "exploitation_form"})
    ]


def test_a_breakdown_sums_to_its_total_and_every_wrong_breakdown_is_named_once():
    rows = [
        ["testi", "2024H1", "PERS_NEW", "", "", "13", ""],
        *OK[1:],
        ["testi", "2024H1", "PERS_NEW", "", "F", "12", ""],
    ]
    assert _found(rows) == [
        ("breakdown_sum", 2, "value", "13", {"measure": "PERS_NEW", "dimension": "exploitation_form, sex", "sum": 12})
    ]


def test_with_a_cell_not_collected_the_known_cells_may_not_exceed_the_total():
    fine = [OK[0], OK[1], ["testi", "2024H1", "PERS_NEW", "SEX", "", "", ""]]
    assert _found(fine) == []
    over = [
        OK[0],
        ["testi", "2024H1", "PERS_NEW", "LAB", "", "13", ""],
        ["testi", "2024H1", "PERS_NEW", "SEX", "", "", ""],
    ]
    assert _found(over) == [
        (
            "breakdown_exceeds_total",
            2,
            "value",
            "12",
            {"measure": "PERS_NEW", "dimension": "exploitation_form", "sum": 13},
        )
    ]


def test_multi_response_breakdowns_need_no_total_and_need_not_sum():
    columns = ["organisation", "period", "measure", "service_type", "value"]
    rows = [["testi", "2024H1", "SERVICE_PERS", "ADVICE", "9"], ["testi", "2024H1", "SERVICE_PERS", "LEGAL", "8"]]
    assert _found(rows, columns) == []


def test_a_cross_sums_to_its_margins_and_to_the_total():
    rows = [
        *OK,
        ["testi", "2024H1", "PERS_NEW", "", "F", "7", ""],
        ["testi", "2024H1", "PERS_NEW", "", "M", "5", ""],
        ["testi", "2024H1", "PERS_NEW", "LAB", "F", "4", ""],
        ["testi", "2024H1", "PERS_NEW", "LAB", "M", "4", ""],
        ["testi", "2024H1", "PERS_NEW", "SEX", "F", "3", ""],
        ["testi", "2024H1", "PERS_NEW", "SEX", "M", "1", ""],
    ]
    cross = {"measure": "PERS_NEW", "dimension": "exploitation_form × sex"}
    assert _found(rows) == [
        ("cross_margin", 3, "value", "9", {**cross, "cell": "exploitation_form = LAB", "sum": 8}),
        ("cross_margin", 4, "value", "3", {**cross, "cell": "exploitation_form = SEX", "sum": 4}),
    ]


def test_a_cross_without_margins_still_sums_to_the_total():
    rows = [
        OK[0],
        ["testi", "2024H1", "PERS_NEW", "LAB", "F", "4", ""],
        ["testi", "2024H1", "PERS_NEW", "SEX", "M", "7", ""],
    ]
    assert _found(rows) == [
        ("breakdown_sum", 2, "value", "12", {"measure": "PERS_NEW", "dimension": "exploitation_form × sex", "sum": 11})
    ]


def test_labour_sectors_sum_to_the_forced_labour_cell_not_to_the_total():
    columns = ["organisation", "period", "measure", "exploitation_form", "labour_sector", "value"]
    base = [
        ["testi", "2024", "PERS_NEW", "", "", "12"],
        ["testi", "2024", "PERS_NEW", "LAB", "", "9"],
        ["testi", "2024", "PERS_NEW", "SEX", "", "3"],
    ]
    fine = [*base, ["testi", "2024", "PERS_NEW", "", "A", "5"], ["testi", "2024", "PERS_NEW", "", "I", "4"]]
    assert _found(fine, columns) == []
    wrong = [*base, ["testi", "2024", "PERS_NEW", "", "A", "5"], ["testi", "2024", "PERS_NEW", "", "I", "3"]]
    assert _found(wrong, columns) == [("labour_sector_sum", 3, "value", "9", {"measure": "PERS_NEW", "sum": 8})]
    alone = [base[0], ["testi", "2024", "PERS_NEW", "", "A", "5"]]
    assert _found(alone, columns) == [("missing_lab_cell", 3, "labour_sector", "5", {"measure": "PERS_NEW"})]


def test_a_part_never_exceeds_its_whole():
    rows = [
        *OK,
        ["testi", "2024H1", "PERS_ACTIVE", "", "", "10", ""],
        ["testi", "2024H1", "PERS_ACTIVE", "LAB", "", "10", ""],
        ["testi", "2024H1", "REPORTED_POLICE", "", "", "11", ""],
    ]
    whole = {"whole": "PERS_ACTIVE", "whole_value": 10, "whole_row": 5}
    # PERS_NEW LAB 9 <= PERS_ACTIVE LAB 10, and SEX (not sent for PERS_ACTIVE) <= its total: fine.
    assert _found(rows) == [
        ("part_above_whole", 2, "value", "12", {"measure": "PERS_NEW", **whole}),
        ("part_above_whole", 7, "value", "11", {"measure": "REPORTED_POLICE", **whole}),
    ]


def test_a_cell_error_is_reported_once_not_again_as_a_sum():
    rows = [
        OK[0],
        ["testi", "2024H1", "PERS_NEW", "LAB", "", "<5", ""],
        OK[2],
        ["testi", "2024H1", "PERS_NEW", "", "F", "11", ""],
    ]
    assert _found(rows) == [
        ("breakdown_sum", 2, "value", "12", {"measure": "PERS_NEW", "dimension": "sex", "sum": 11}),
        ("suppressed_value", 3, "value", "<5", {}),
    ]


def test_problems_are_listed_by_sheet_and_row_across_tables():
    first = Table(pd.DataFrame([OK[0]], columns=COLUMNS), sheet="A")
    second = Table(pd.DataFrame([["testi", "2024H1", "PERS_NEW", "LAB", "", "13", ""]], columns=COLUMNS), sheet="B")
    result = validate_tables([first, second], Context(ORGS, TODAY))
    assert [(p.code, p.sheet, p.row) for p in result.problems] == [("breakdown_sum", "A", 2)]


def test_a_template_row_points_at_its_cell():
    columns = [*COLUMNS, "_row", "_column"]
    rows = [
        ["testi", "2024H1", "PERS_NEW", "", "", "12", "", "7", "B"],
        ["testi", "2024H1", "PERS_NEW", "LAB", "", "1,5", "", "10", "B"],
    ]
    frame = pd.DataFrame(rows, columns=columns)
    result = validate_table(Table(frame, sheet="Uudet asiakkaat"), Context(ORGS, TODAY))
    assert [(p.code, p.sheet, p.row, p.column) for p in result.problems] == [
        ("decimal_value", "Uudet asiakkaat", 10, "B")
    ]


def test_problems_beyond_the_cap_are_counted_not_listed():
    periods = [f"{year}{half}" for year in range(2016, 2026) for half in ("", "H1", "H2")]
    forms = ["", "LAB", "SEX", "MAR", "CRIM", "BEG", "BEN", "ORG", "MIL", "SERV", "OTH", "UNK"]
    cells = [("PERS_NEW", form) for form in forms] + [("CONTACTS_ANON", ""), ("PERS_STOCK_END", "")]
    rows = [["testi", period, measure, form, "", "-1", ""] for measure, form in cells for period in periods]
    assert len(rows) == 420
    result = _check(rows)
    assert [p.code for p in result.problems].count("negative_value") == 200
    assert [(p.code, p.params) for p in result.problems[200:]] == [
        ("more_problems", {"count": 220, "code": "negative_value"})
    ]


# Warnings ---------------------------------------------------------------------------------------


def _history(rows):
    frame = pd.DataFrame(rows, columns=["org_code", "period", "measure", "dim1", "code1", "dim2", "code2", "value"])
    return lambda pairs: frame[[(o, p) in set(pairs) for o, p in zip(frame["org_code"], frame["period"], strict=True)]]


def test_a_big_change_from_the_previous_year_is_a_warning_only():
    history = _history([("testi", "2023H1", "PERS_NEW", "_T", "_T", "_T", "_T", 30)])
    found = _check(OK, history=history).problems
    assert [(p.code, p.severity, p.row, p.value, p.params) for p in found] == [
        ("change_from_previous_year", "warning", 2, "12", {"previous": 30, "previous_period": "2023H1"})
    ]
    small = _history([("testi", "2023H1", "PERS_NEW", "_T", "_T", "_T", "_T", 20)])  # 40 % less: fine
    assert _check(OK, history=small).problems == []
    few = _history([("testi", "2023H1", "PERS_NEW", "exploitation_form", "LAB", "_T", "_T", 2)])  # +7: fine
    assert _check(OK, history=few).problems == []


def test_the_previous_year_may_be_in_the_same_file():
    rows = [
        ["testi", "2023", "CONTACTS_ANON", "", "", "100", ""],
        ["testi", "2024", "CONTACTS_ANON", "", "", "10", ""],
        ["testi", "2023", "PERS_STOCK_END", "", "", "40", ""],
        ["testi", "2024", "PERS_STOCK_END", "", "", "12", ""],
    ]
    found = _check(rows).problems
    assert [(p.code, p.row, p.params) for p in found] == [
        ("change_from_previous_year", 5, {"previous": 40, "previous_period": "2023"})  # contacts are not persons
    ]


def test_a_year_that_is_not_the_sum_of_its_halves_is_a_warning():
    rows = [
        ["testi", "2024", "CONTACTS_ANON", "", "", "10", ""],
        ["testi", "2024H1", "CONTACTS_ANON", "", "", "4", ""],
        ["testi", "2024H2", "CONTACTS_ANON", "", "", "5", ""],
        ["testi", "2024", "PERS_STOCK_END", "", "", "10", ""],  # a stock: the year is H2's, no sum
        ["testi", "2024H2", "PERS_STOCK_END", "", "", "4", ""],
    ]
    found = _check(rows).problems
    assert [(p.code, p.severity, p.row, p.params) for p in found] == [
        (
            "year_not_sum_of_halves",
            "warning",
            2,
            {"measure": "CONTACTS_ANON", "year": "2024", "year_value": 10, "h1": 4, "h2": 5},
        )
    ]


def test_halves_in_the_warehouse_are_compared_with_a_year_in_the_file():
    history = _history(
        [
            ("testi", "2024H1", "CONTACTS_ANON", "_T", "_T", "_T", "_T", 4),
            ("testi", "2024H2", "CONTACTS_ANON", "_T", "_T", "_T", "_T", 5),
        ]
    )
    found = _check([["testi", "2024", "CONTACTS_ANON", "", "", "9", ""]], history=history).problems
    assert found == []
    found = _check([["testi", "2024", "CONTACTS_ANON", "", "", "8", ""]], history=history).problems
    assert [(p.code, p.row) for p in found] == [("year_not_sum_of_halves", 2)]


# Robustness -------------------------------------------------------------------------------------

TEXT = st.one_of(
    st.sampled_from(["", "testi", "2024H1", "PERS_NEW", "LAB", "F", "12", "<5", "-1", "_T", "Nainen"]),
    st.text(max_size=8),
)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(TEXT, min_size=7, max_size=7), max_size=12))
def test_any_table_gives_problems_not_crashes(rows):
    result = _check(rows)
    for problem in result.problems:
        for lang in ("fi", "sv", "en"):
            message = problem.message(lang).replace(problem.value or "", "").replace(problem.column or "", "")
            assert not re.search(r"\{[a-z_0-9]+\}", message)  # every placeholder filled
    if not any(p.severity == "error" for p in result.problems):
        assert len(result.cells) == len(rows)


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=10**9), st.sampled_from(["", " ", "\u00a0", "\u202f"]))
def test_every_count_reads_back_whatever_the_separator(number, separator):
    text = f"{number:,}".replace(",", separator)
    assert parse_value(text) == (number, None)
