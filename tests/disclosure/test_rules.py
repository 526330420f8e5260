"""Each rule of DATA-CONTRACT 8 on a small hand-made table, with the exact published result.

Tables are shown as {code: value when shown, flag letters when hidden}. The
expected hidden cells were worked out by hand: a small count (c), and the next
smallest non-zero cell of each relation it sits in (d).
"""

import pandas as pd
import pytest

from etl.disclosure import display_text, protect_counts
from etl.disclosure.rules import join_flags
from etl.disclosure.tables import Subset
from tests.disclosure.builders import T, cross, one_d, run, shown

FORM, SEX = "exploitation_form", "sex"


def test_threshold_hides_1_to_4_and_shows_0_and_5():
    frame = pd.DataFrame({"value": [0, 1, 4, 5, 12]})
    out = protect_counts(frame, threshold=5)
    assert out["value"].tolist() == [0, pd.NA, pd.NA, 5, 12]
    assert out["flag"].tolist() == [pd.NA, "c", "c", pd.NA, pd.NA]


def test_display_text_in_each_language():
    assert display_text(None, "c", 5, "fi") == "<5"
    assert display_text(None, "dp", 5, "sv") == "x"
    assert display_text(1234, "p", 5, "en") == "1\u00a0234"
    assert display_text(None, "", 5, "fi") == ".."
    assert display_text(None, "c", 10, "en") == "<10"


def test_flags_keep_one_order():
    assert join_flags({"p", "c", "b"}) == "cpb"
    assert join_flags("ed") == "de"


def test_breakdown_with_its_total_hides_the_next_smallest_cell():
    rows = one_d("a", SEX, {"F": 10, "M": 2, "X": 0})
    rows += one_d("b", SEX, {"F": 7, "M": 6, "X": 0})
    rows += one_d("c", SEX, {"F": 5, "M": 5, "X": 1})
    out = run(rows)
    assert shown(out) == {T: 36}
    assert shown(out, dim1=SEX) == {"F": 22, "M": "d", "X": "c", T: 36}


def test_cross_with_its_margins_hides_a_cycle():
    rows = cross("a", (FORM, SEX), {("LAB", "F"): 12, ("LAB", "M"): 20, ("SEX", "F"): 9, ("SEX", "M"): 1})
    rows += cross("b", (FORM, SEX), {("LAB", "F"): 8, ("LAB", "M"): 15, ("SEX", "F"): 11, ("SEX", "M"): 0})
    rows += cross("c", (FORM, SEX), {("LAB", "F"): 6, ("LAB", "M"): 9, ("SEX", "F"): 7, ("SEX", "M"): 1})
    out = run(rows)
    assert shown(out, dim1=FORM, dim2=SEX) == {
        ("LAB", "F"): "d", ("LAB", "M"): "d", ("SEX", "F"): "d", ("SEX", "M"): "c",
        ("LAB", T): 70, ("SEX", T): 29, (T, "F"): 53, (T, "M"): 46, (T, T): 99,
    }  # fmt: skip
    assert shown(out, dim1=FORM) == {"LAB": 70, "SEX": 29, T: 99}
    assert shown(out, dim1=SEX) == {"F": 53, "M": 46, T: 99}


def test_breakdowns_of_one_total_are_protected_together():
    rows = []
    for org, forms, sexes in [
        ("a", {"LAB": 20, "SEX": 8, "MAR": 2}, {"F": 15, "M": 15}),
        ("b", {"LAB": 11, "SEX": 9, "MAR": 0}, {"F": 10, "M": 10}),
        ("c", {"LAB": 7, "SEX": 6, "MAR": 1}, {"F": 9, "M": 5}),
    ]:
        rows += one_d(org, FORM, forms) + [row for row in one_d(org, SEX, sexes) if row[2] != T]
    out = run(rows)
    assert shown(out, dim1=FORM) == {"LAB": 38, "SEX": "d", "MAR": "c", T: 64}
    assert shown(out, dim1=SEX) == {"F": 34, "M": 30, T: 64}


def test_year_and_halves_are_protected_together():
    rows = []
    for org, first, second in [
        ("a", {"F": 6, "M": 1}, {"F": 5, "M": 4}),
        ("b", {"F": 7, "M": 1}, {"F": 6, "M": 6}),
        ("c", {"F": 8, "M": 1}, {"F": 4, "M": 9}),
    ]:
        rows += one_d(org, SEX, first, "H1") + one_d(org, SEX, second, "H2")
        rows += one_d(org, SEX, {code: first[code] + second[code] for code in first}, "Y", derived=True)
    out = run(rows)
    assert shown(out, "all", "H1", SEX) == {"F": "d", "M": "c", T: 24}
    # year - H1 = H2: the second half's M would give the first half's 3, so it is hidden too
    assert shown(out, "all", "H2", SEX) == {"F": "d", "M": "d", T: 34}
    assert shown(out, "all", "Y", SEX) == {"F": 36, "M": 22, T: 58}


def test_small_countries_fold_into_other_of_their_group():
    rows = []
    for org, countries in [
        ("a", {"TH": 4, "VN": 1, "RO": 2, "FI": 6}),
        ("b", {"TH": 3, "VN": 1, "EE": 1, "FI": 2}),
        ("c", {"TH": 2, "NG": 3, "RO": 1, "FI": 4}),
    ]:
        rows += one_d(org, "citizenship", countries)
    out = run(rows)
    # VN 2, NG 3 -> other non-EU 5; RO 3, EE 1 -> other EU/EEA 4 (a small count)
    assert shown(out, dim1="citizenship") == {"TH": 9, "FI": 12, "OTH_NON_EU": "d", "OTH_EU": "c", T: 30}


def test_a_cross_row_under_ten_in_one_column_is_folded():
    rows = cross("a", (FORM, SEX), {("LAB", "F"): 12, ("LAB", "M"): 20, ("MAR", "F"): 3, ("MAR", "M"): 0})
    rows += cross("b", (FORM, SEX), {("LAB", "F"): 8, ("LAB", "M"): 15, ("MAR", "F"): 2, ("MAR", "M"): 0})
    rows += cross("c", (FORM, SEX), {("LAB", "F"): 6, ("LAB", "M"): 9, ("MAR", "F"): 2, ("MAR", "M"): 0})
    out = run(rows)
    reasons = {(r.code1, r.code2): r.reason for r in out[out["dim2"] == SEX].itertuples()}
    assert reasons[("MAR", "M")] == "fold_row"  # the 0 would say all 7 are women
    assert shown(out, dim1=FORM, dim2=SEX)[("MAR", "M")] == "d"
    assert shown(out, dim1=FORM, dim2=SEX)[(T, T)] == 77


def test_a_member_that_would_learn_the_rest_of_the_network_hides_the_cell():
    rows = one_d("a", SEX, {"F": 30, "M": 8}) + one_d("b", SEX, {"F": 2, "M": 1}) + one_d("c", SEX, {"F": 4, "M": 0})
    out = run(rows)
    assert shown(out, dim1=SEX) == {"F": "d", "M": "d", T: 45}
    assert dict(zip(out["code1"], out["reason"], strict=True))["M"] == "dominance"  # a has 8 of 9: rest 1


def test_figures_of_fewer_than_three_members_are_withheld():
    out = run(one_d("a", SEX, {"F": 30, "M": 8}) + one_d("b", SEX, {"F": 2, "M": 1}))
    assert shown(out) == {T: "d"}
    assert set(out["reason"]) == {"members"}


def test_a_cell_hidden_in_an_earlier_version_stays_hidden():
    rows = one_d("a", SEX, {"F": 10, "M": 6}) + one_d("b", SEX, {"F": 7, "M": 6}) + one_d("c", SEX, {"F": 5, "M": 5})
    assert shown(run(rows), dim1=SEX) == {"F": 22, "M": 17, T: 39}
    carried = frozenset({("all", "PERS_NEW", 2024, "Y", SEX, "M", T, T)})
    assert shown(run(rows, carried=carried), dim1=SEX) == {"F": "d", "M": "d", T: 39}


@pytest.mark.parametrize(
    ("group", "expected"),
    [
        ("abc", {"F": 24, "M": 22, T: 46}),  # three members fewer than the network: published
        ("abcde", {"F": "d", "M": "d", T: "d"}),  # one member fewer: its figures would show, so withheld
    ],
)
def test_like_for_like_group_is_published_only_when_it_differs_by_three_members(group, expected):
    rows = []
    for org, sexes in [
        ("a", {"F": 9, "M": 7}), ("b", {"F": 8, "M": 6}), ("c", {"F": 7, "M": 9}),
        ("d", {"F": 1, "M": 6}), ("e", {"F": 6, "M": 5}), ("f", {"F": 5, "M": 8}),
    ]:  # fmt: skip
        rows += one_d(org, SEX, sexes)
    subsets = [Subset("all"), Subset("lfl-Y-2020", frozenset(group), ("Y",), "PERS_NEW", 2020)]
    out = run(rows, subsets=subsets)
    assert shown(out, dim1=SEX) == {"F": 36, "M": 41, T: 77}
    assert shown(out, subset="lfl-Y-2020", dim1=SEX) == expected


def test_flags_carry_data_notes_and_breaks_but_not_revisions():
    rows = one_d("a", SEX, {"F": 10, "M": 6}) + one_d("b", SEX, {"F": 7, "M": 6}) + one_d("c", SEX, {"F": 5, "M": 5})
    out = run(rows, member_flags={"a": "P", "b": "R", "c": "E"}, breaks=frozenset({("PERS_NEW", 2024, "Y")}))
    assert set(out["flag"]) == {"peb"}  # provisional, estimated, break; R (revised) is not shown per cell
    small = one_d("a", SEX, {"F": 10, "M": 1}) + one_d("b", SEX, {"F": 7, "M": 1}) + one_d("c", SEX, {"F": 5, "M": 1})
    assert shown(run(small, member_flags={"a": "P"}), dim1=SEX) == {"F": "dp", "M": "cp", T: 25}
