"""Pure shaping of protected frames: empty states, denominators, sums over protected parts."""

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dashboard.presenting import series, tables
from dashboard.presenting.series import Bounds
from etl.i18n import t
from tests.dashboard.expected import round_half_up


def frame(rows):
    """period, code1, value, flag, members rows -> a gate-shaped frame."""
    out = pd.DataFrame(rows, columns=["period", "code1", "value", "flag", "members"])
    out["year"] = out["period"].str[:4].astype(int)
    out["kind"] = ["Y" if len(p) == 4 else p[4:] for p in out["period"]]
    out["code2"] = "_T"
    out["value"] = out["value"].astype("Int64")
    out["flag"] = out["flag"].astype("string")
    return out


def test_empty_states_say_why():
    assert series.empty_reason(frame([])) == "empty.no_data"
    assert series.empty_reason(frame([("2024", "_T", None, "c", 2)])) == "empty.all_hidden"
    assert series.empty_reason(frame([("2024", "_T", None, "d", 2)])) == "empty.all_hidden"
    assert series.empty_reason(frame([("2024", "_T", None, "", 0)])) == "empty.nobody_reported"
    assert series.empty_reason(frame([("2024", "_T", None, "c", 1), ("2025", "_T", 0, "", 3)])) is None


def test_hidden_is_protection_not_missing_or_flags_of_the_data():
    cells = frame([("2024", "A", None, "c", 1), ("2024", "B", None, "", 0), ("2024", "C", 7, "p", 2)])
    assert series.hidden_mask(cells).tolist() == [True, False, False]
    assert series.flag_letters(cells) == {"c", "p"}


def test_members_of_a_breakdown_are_the_most_behind_any_cell():
    cells = frame([("2024", "A", 5, "", 3), ("2024", "B", 0, "", 2), ("2025", "A", 6, "", 4)])
    assert series.period_members(cells)[["period", "members"]].values.tolist() == [["2024", 3], ["2025", 4]]


def test_denominator_is_the_total_only_when_the_same_members_sent_the_breakdown():
    parts = frame(
        [("2024", "A", 20, "", 5), ("2024", "B", None, "c", 5), ("2025", "A", 30, "", 5), ("2025", "B", 6, "", 5)]
    )
    totals = frame([("2024", "_T", 23, "", 5), ("2025", "_T", 50, "", 9)])
    out = series.breakdown_denominators(parts, totals)
    # 2024: same 5 members -> the total; 2025: fewer members sent the breakdown -> its own (visible) sum
    assert out["value"].tolist() == [23, 36]
    hidden_part = parts.assign(value=parts["value"].where(parts["period"] != "2025"), flag=["", "c", "", "c"])
    assert series.breakdown_denominators(hidden_part, totals)["value"].isna().tolist() == [False, True]


def test_a_measure_divides_another_only_where_the_same_members_reported_both():
    totals = frame([("2024", "_T", 40, "", 5), ("2025", "_T", 50, "", 5)])
    assert series.measure_denominators(totals, {"2025"})["value"].tolist() == [pd.NA, 50]


def test_bounded_sum_gives_what_an_outsider_can_derive():
    assert series.bounded_sum([10, 20, 0], ["", "", ""], 5) == Bounds(30, 30)
    assert series.bounded_sum([10, None, None], ["", "c", "c"], 5) == Bounds(12, 18)
    assert series.bounded_sum([10, None], ["", "d"], 5) == Bounds(10, None)
    assert series.bounded_sum([10, None], ["", ""], 5) == Bounds(10, 10)  # not reported adds nothing


def test_bounded_share_is_exact_when_both_ends_round_alike():
    assert series.bounded_share(Bounds(50, 50), Bounds(50, 50)) == (50, 50)
    assert series.bounded_share(Bounds(201, 204), Bounds(150, 150)) == (57, 58)
    assert series.bounded_share(Bounds(600, 601), Bounds(400, 400)) == (60, 60)
    assert series.bounded_share(Bounds(3, 3), Bounds(5, 5)) is None  # denominator under 10
    assert series.bounded_share(Bounds(30, None), Bounds(50, 50)) is None


@given(
    st.lists(st.integers(0, 60), min_size=1, max_size=8),
    st.lists(st.integers(0, 60), min_size=1, max_size=8),
    st.integers(3, 10),
)
def test_the_true_share_lies_in_the_range_shown(part, rest, threshold):
    """Whatever the hidden counts were, the whole-percent range contains the true rounded share."""

    def protect(values):
        shown = [v if v == 0 or v >= threshold else None for v in values]
        flags = ["" if v is not None else "c" for v in shown]
        return series.bounded_sum(shown, flags, threshold)

    shown = series.bounded_share(protect(part), protect(rest))
    total = sum(part) + sum(rest)
    if shown is None:
        return
    true = round_half_up(sum(part), total)
    assert shown[0] <= true <= shown[1]


@pytest.mark.parametrize(
    ("bounds", "text"),
    [
        (Bounds(150, 150), "150"),
        (Bounds(150, 153), "x"),  # DATA-CONTRACT 8.9: a range is not a notation
        (Bounds(2, 8), "x"),
        (Bounds(9, None), "x"),
        (Bounds(0, 0), "0"),
    ],
)
def test_derived_sums_are_shown_exact_or_as_hidden(bounds, text):
    assert tables.bounds_text(bounds, "fi", 5) == text


def test_share_texts_in_finnish_style():
    assert tables.share_text(7, "en") == "7\u00a0%"
    assert tables.share_text(pd.NA, "sv") == t("common.not_available", "sv")
    assert tables.share_range_text((57, 58), "fi") == "x"
    assert tables.share_range_text(None, "fi") == ".."
    assert tables.share_range_text((58, 58), "fi") == "58\u00a0%"


def test_period_labels_in_each_language():
    assert tables.period_label("2024", 2024, "Y", "fi") == "2024"
    assert tables.period_label("2024H1", 2024, "H1", "fi") == "H1/2024"
    assert tables.period_label("2024H2", 2024, "H2", "en") == "H2 2024"


def test_countries_with_a_hidden_count_are_not_even_named():
    cells = frame([("2024", "RO", 12, "", 3), ("2024", "TH", None, "c", 1), ("2024", "VN", 0, "", 2)])
    assert series.may_be_shown(cells, "citizenship")["code1"].tolist() == ["RO", "VN"]
    assert len(series.may_be_shown(cells, "exploitation_form")) == 3


def test_codes_by_size_puts_other_and_unknown_last():
    cells = frame(
        [("2025", "UNK", 50, "", 3), ("2025", "A", 5, "", 3), ("2025", "B", 9, "", 3), ("2025", "OTH", 40, "", 3)]
    )
    assert series.codes_by_size(cells, "code1") == ["B", "A", "OTH", "UNK"]


def test_codebook_order():
    cells = frame([("2024", "SEX", 1, "", 1), ("2024", "LAB", 1, "", 1), ("2023", "MAR", 1, "", 1)])
    ordered = series.in_code_order(cells, {"code1": ["LAB", "SEX", "MAR"]})
    assert list(zip(ordered["period"], ordered["code1"], strict=True)) == [
        ("2023", "MAR"),
        ("2024", "LAB"),
        ("2024", "SEX"),
    ]


def _cells(code: str, values: list[int | None], shares: list[int | None]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "period": ["2024", "2025"],
            "year": [2024, 2025],
            "kind": ["Y", "Y"],
            "code": code,
            "display": [str(v) if v is not None else "x" for v in values],
            "share": pd.array(shares, dtype="Int64"),
            "members": [9, 10],
        }
    )


def test_the_table_files_hold_the_total_first_and_mark_the_drawn_groups():
    every = pd.concat(
        [_cells("_T", [100, 120], [None, None]), _cells("A", [60, 70], [60, 58]), _cells("B", [40, None], [40, None])]
    )
    label = {"A": "Naiset", "B": "Miehet"}.get
    part = tables.whole_breakdown(every, {"A"}, "fi", label, members=series.period_members(every))
    assert list(part.columns) == ["Kausi", "Yhteensä", "Naiset (kaaviossa)", "Miehet", "Raportoineet jäsenet"]
    assert part.iloc[1].tolist() == ["2025", "120", "70", "x", "10"]
    whole = tables.whole_breakdown(every, {"A", "B"}, "en", {"A": "Women", "B": "Men"}.get)
    assert list(whole.columns) == ["Period", "Total", "Women", "Men"]  # all drawn: nothing to mark
    shares = every.assign(share_text=[tables.share_text(s, "fi") for s in every["share"]])
    as_shares = tables.whole_breakdown(shares, {"A"}, "fi", label, "share_text")
    assert as_shares.iloc[0].tolist() == ["2024", "100", "60\u00a0%", "40\u00a0%"]  # the base of the shares, counted
    assert as_shares.columns[1] == "Yhteensä (lukumäärä)"


def test_a_share_on_the_half_rounds_up_exactly():
    assert series.bounded_share(Bounds(46, 46), Bounds(34, 34)) == (58, 58)  # 57.5 %, which floats make 57.4999...


def test_other_groups_is_the_total_minus_the_drawn_groups_that_are_visible():
    every = frame(
        [
            ("2024", "_T", 100, "", 5),
            ("2024", "A", 50, "", 5),
            ("2024", "B", None, "d", 5),  # drawn but hidden: in the rest
            ("2024", "C", 20, "", 5),  # not drawn: in the rest
            ("2025", "_T", None, "d", 5),  # the total hidden: no rest at all
            ("2025", "A", 40, "", 5),
        ]
    ).assign(code=lambda f: f["code1"])
    rest = series.other_groups(every, ["A", "B"], threshold=5)
    assert list(zip(rest["period"], rest["code"], rest["value"], strict=True)) == [("2024", series.OTHER_GROUPS, 50)]
    assert rest["flag"].tolist() == [""]


def test_a_chart_of_the_total_leaves_no_other_groups():
    every = frame([("2024", "_T", 50, "", 5), ("2025", "_T", None, "d", 5)]).assign(code=lambda f: f["code1"])
    assert series.other_groups(every, ["_T"], threshold=5).empty  # not a line of zeros beside the total


def test_other_groups_needs_the_breakdowns_own_total():
    every = frame([("2024", "A", 50, "", 5), ("2024", "B", 3, "", 5)]).assign(code=lambda f: f["code1"])
    assert series.other_groups(every, ["A"], threshold=5).empty  # groups one person can be in many of: no total


def test_other_groups_of_a_small_count_are_left_out_like_a_small_cell():
    every = frame(
        [("2024", "_T", 53, "", 5), ("2024", "A", 50, "", 5), ("2025", "_T", 50, "", 5), ("2025", "A", 50, "", 5)]
    ).assign(code=lambda f: f["code1"])
    rest = series.other_groups(every, ["A"], threshold=5)
    assert list(zip(rest["period"], rest["value"], strict=True)) == [("2025", 0)]  # 3 is a small count: not drawn
