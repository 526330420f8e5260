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


def _safe(rows: list[tuple], **kwargs: object) -> pd.DataFrame:
    """The published cells, after the independent attack found nothing in them."""
    from tests.disclosure.test_attack import _check

    _check(rows, **kwargs)  # type: ignore[arg-type]
    return run(rows, **kwargs)  # type: ignore[arg-type]


def test_a_small_count_hides_partners_that_keep_a_range_of_the_threshold():
    """X (1) needs a partner; the partner, as `x`, needs a range of 5: the two smallest others go (8.7)."""
    rows = one_d("a", SEX, {"F": 10, "M": 4, "X": 1, "UNK": 3})
    rows += one_d("b", SEX, {"F": 7, "M": 5, "X": 0, "UNK": 3})
    rows += one_d("c", SEX, {"F": 5, "M": 4, "X": 0, "UNK": 3})
    out = _safe(rows)
    assert shown(out) == {T: 45}
    assert shown(out, dim1=SEX) == {"F": 22, "M": "d", "X": "c", "UNK": "d", T: 45}


def test_breakdowns_of_one_total_are_protected_together():
    rows = []
    for org, forms, sexes in [
        ("a", {"LAB": 20, "SEX": 8, "MAR": 2, "OTH": 3}, {"F": 18, "M": 15}),
        ("b", {"LAB": 11, "SEX": 9, "MAR": 0, "OTH": 2}, {"F": 12, "M": 10}),
        ("c", {"LAB": 7, "SEX": 6, "MAR": 1, "OTH": 4}, {"F": 12, "M": 6}),
    ]:
        rows += one_d(org, FORM, forms) + [row for row in one_d(org, SEX, sexes) if row[2] != T]
    out = _safe(rows)
    assert shown(out, dim1=FORM) == {"LAB": 38, "SEX": "d", "MAR": "c", "OTH": "d", T: 73}
    assert shown(out, dim1=SEX) == {"F": 42, "M": 31, T: 73}


def test_year_and_halves_are_protected_together():
    rows = []
    for org, first, second in [
        ("a", {"F": 6, "M": 1, "UNK": 3}, {"F": 5, "M": 4, "UNK": 2}),
        ("b", {"F": 7, "M": 1, "UNK": 2}, {"F": 6, "M": 6, "UNK": 3}),
        ("c", {"F": 8, "M": 1, "UNK": 4}, {"F": 4, "M": 9, "UNK": 2}),
    ]:
        rows += one_d(org, SEX, first, "H1") + one_d(org, SEX, second, "H2")
        rows += one_d(org, SEX, {code: first[code] + second[code] for code in first}, "Y", derived=True)
    out = _safe(rows)
    # H1's M (3) would be left alone by its partners' ranges: the half is not offered at all
    assert set(out.loc[(out["kind"] == "H1") & (out["dim1"] == SEX), "reason"]) == {"empty"}
    # year - H2 = H1: the year's and the second half's M and UNK protect each other
    assert shown(out, "all", "H2", SEX) == {"F": "d", "M": "d", "UNK": 7, T: 41}
    assert shown(out, "all", "Y", SEX) == {"F": 36, "M": "d", "UNK": "d", T: 74}


def test_small_countries_fold_into_other_of_their_group():
    rows = []
    for org, countries in [
        ("a", {"TH": 4, "VN": 1, "RO": 2, "FI": 6}),
        ("b", {"TH": 3, "VN": 1, "EE": 1, "FI": 2}),
        ("c", {"TH": 2, "NG": 3, "RO": 1, "FI": 4}),
    ]:
        rows += one_d(org, "citizenship", countries)
    out = _safe(rows)
    # VN 2, NG 3 -> other non-EU 5; RO 3, EE 1 -> other EU/EEA 4 (a small count, protected by TH and the other)
    assert shown(out, dim1="citizenship") == {"TH": "d", "FI": 12, "OTH_NON_EU": "d", "OTH_EU": "c", T: 30}


def test_a_cross_row_under_ten_in_one_column_is_not_offered():
    rows = []
    for org, (lab, sex, oth, mar) in {
        "a": ((12, 20), (9, 6), (7, 8), 3),
        "b": ((8, 15), (11, 7), (9, 6), 2),
        "c": ((6, 9), (8, 10), (5, 12), 2),
    }.items():
        counts = {("MAR", "F"): mar, ("MAR", "M"): 0}
        for form, (women, men) in (("LAB", lab), ("SEX", sex), ("OTH", oth)):
            counts |= {(form, "F"): women, (form, "M"): men}
        rows += cross(org, (FORM, SEX), counts)
    out = _safe(rows)  # the attack also targets the folded cells: MAR x F is not pinned to 7
    cells = {(r.code1, r.code2): (r.reason, r.offered) for r in out[out["dim2"] == SEX].itertuples()}
    # the 0 would say all 7 are women: the row's cells are not offered, its total is
    assert cells[("MAR", "M")] == cells[("MAR", "F")] == ("fold_row", False)
    # F - LAB - SEX - OTH = MAR x F: two rows' cells are hidden so that the sum stays open
    assert shown(out[out["offered"]], dim1=FORM, dim2=SEX) == {
        ("LAB", "F"): 26, ("LAB", "M"): 44, ("LAB", T): 70,
        ("SEX", "F"): "d", ("SEX", "M"): "d", ("SEX", T): 51,
        ("OTH", "F"): "d", ("OTH", "M"): "d", ("OTH", T): 47,
        ("MAR", T): 7, (T, "F"): 82, (T, "M"): 93, (T, T): 175,
    }  # fmt: skip


def test_a_cross_line_under_the_threshold_is_shown_by_its_total_only_rather_than_withholding_the_cross():
    """Its cells could only be `<5` and zeros: each `<5` tells a member "at least 1", and those bounds add up.

    Here they would pin a figure whatever is hidden, and the whole cross was withheld. Before
    withholding a network's yearly cross, protection folds such lines: the "not known" column's
    cells are not offered, its total is (8.3); the one-dimension tables are as they were.
    """
    members = {  # F, M, UNK, X
        "a": {"LAB": (3, 7, 0, 0), "SEX": (0, 12, 0, 1), "MAR": (3, 8, 0, 1)},
        "b": {"LAB": (0, 12, 0, 0), "SEX": (11, 6, 1, 0), "MAR": (8, 4, 1, 1)},
        "c": {"LAB": (1, 10, 0, 1), "SEX": (9, 8, 1, 1), "MAR": (6, 4, 0, 0)},
    }
    rows = []
    for org, forms in members.items():
        codes = ("F", "M", "UNK", "X")
        rows += cross(
            org, (FORM, SEX), {(f, s): v for f, values in forms.items() for s, v in zip(codes, values, strict=True)}
        )
    rows += one_d("d", SEX, {"F": 0, "M": 3, "UNK": 1, "X": 0}) + one_d("e", SEX, {"F": 8, "M": 4, "UNK": 1, "X": 1})
    out = _safe(rows)  # the attack also targets the folded cells: SEX x UNK holds 2, MAR x UNK 1
    cells = {(r.code1, r.code2): (r.reason, r.offered) for r in out[out["dim2"] == SEX].itertuples()}
    assert {cells[(form, "UNK")] for form in ("LAB", "SEX", "MAR")} == {("fold_row", False)}
    assert not (out["reason"] == "unsafe").any()
    offered = out[out["offered"]]
    assert shown(offered, dim1=SEX) == {"F": 49, "M": 78, "UNK": "d", "X": "d", T: 138}
    assert shown(offered, dim1=FORM, dim2=SEX) == {
        ("LAB", "F"): "c", ("LAB", "M"): 29, ("LAB", "X"): "c", ("LAB", T): "d",
        ("SEX", "F"): 20, ("SEX", "M"): 26, ("SEX", "X"): "c", ("SEX", T): 50,
        ("MAR", "F"): "d", ("MAR", "M"): "d", ("MAR", "X"): "c", ("MAR", T): 36,
        (T, "F"): "d", (T, "M"): "d", (T, "UNK"): "c", (T, "X"): "d", (T, T): "d",
    }  # fmt: skip


def test_a_secondary_cell_no_hiding_keeps_wide_is_shown_again_instead_of_withholding_the_cross():
    """An `x` cell whose own range of 5 nothing can keep: other cells protect what it protected (8.8).

    Without that, the whole cross was withheld; the one-dimension tables come out as they did then.
    """
    crosses = {
        "a": {"LAB": (0, 3, 1), "SEX": (3, 8, 1), "MAR": (4, 4, 1)},
        "b": {"LAB": (4, 4, 0), "SEX": (0, 0, 1), "MAR": (0, 3, 0)},
        "c": {"LAB": (5, 7, 1), "SEX": (1, 3, 0), "MAR": (3, 0, 0)},
    }
    rows = []
    for org, forms in crosses.items():
        rows += cross(
            org, (FORM, SEX), {(f, s): v for f, values in forms.items() for s, v in zip("FMX", values, strict=True)}
        )
    rows += one_d("d", SEX, {"F": 2, "M": 9, "X": 0}) + one_d("e", SEX, {"F": 7, "M": 0, "X": 0})
    out = _safe(rows)
    assert not (out["reason"] == "unsafe").any()
    offered = out[out["offered"]]
    assert shown(offered, dim1=SEX) == {"F": "d", "M": 41, "X": "d", T: 75}
    assert shown(offered, dim1=FORM) == {"LAB": 25, "SEX": 17, "MAR": "d", T: "d"}
    assert shown(offered, dim1=FORM, dim2=SEX) == {
        ("LAB", "F"): "d", ("LAB", "M"): "d", ("LAB", "X"): "c", ("LAB", T): 25,
        ("SEX", "F"): "c", ("SEX", "M"): 11, ("SEX", "X"): "c", ("SEX", T): 17,
        ("MAR", "F"): 7, ("MAR", "M"): "d", ("MAR", "X"): "c", ("MAR", T): "d",
        (T, "F"): "d", (T, "M"): "d", (T, "X"): 5, (T, T): "d",
    }  # fmt: skip


def test_what_a_member_reads_off_a_shown_cell_is_published():
    """Shown cells are published facts: a member with 8 of 9 learns the rest had 1, as anyone learns 9."""
    rows = one_d("a", SEX, {"F": 30, "M": 8}) + one_d("b", SEX, {"F": 2, "M": 1}) + one_d("c", SEX, {"F": 4, "M": 0})
    assert shown(_safe(rows), dim1=SEX) == {"F": 36, "M": 9, T: 45}


def test_figures_of_fewer_than_three_members_are_withheld():
    out = run(one_d("a", SEX, {"F": 30, "M": 8}) + one_d("b", SEX, {"F": 2, "M": 1}))
    assert shown(out) == {T: "d"}
    assert set(out["reason"]) == {"members"}
    assert not out["offered"].any()


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
    small = one_d("a", SEX, {"F": 10, "M": 1, "X": 0, "UNK": 4})
    small += one_d("b", SEX, {"F": 17, "M": 1, "X": 6, "UNK": 5}) + one_d("c", SEX, {"F": 15, "M": 1, "X": 7, "UNK": 6})
    sexes = shown(run(small, member_flags={"a": "P"}), dim1=SEX)
    assert sexes["M"] == "cp"  # hidden as small, and provisional like every cell a's figures are in
    assert {value for value in sexes.values() if isinstance(value, str)} <= {"cp", "dp"}
