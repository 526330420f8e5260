"""URL state: pure encode/decode, and a view written to the URL reopens the same view."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dashboard.state import decode, encode, valid
from etl.i18n import t
from tests.helpers import chart_figures, open_page

YEARS = list(range(2016, 2026))


def test_defaults_are_left_out_of_the_url():
    assert encode("PERS_NEW", "PERS_NEW") is None
    assert encode((2016, 2025), (2016, 2025)) is None
    assert encode(False, False) is None
    assert encode(["LAB", "SEX"], ["LAB", "SEX"]) is None


def test_values_are_written_as_codes():
    assert encode("sex.age_group", "_T") == "sex.age_group"
    assert encode((2019, 2023), (2016, 2025)) == "2019,2023"
    assert encode(True, False) == "1"
    assert encode(["SEX", "LAB"], ["LAB"]) == "SEX,LAB"
    assert encode(2024, 2025) == "2024"


def test_reading_back_gives_the_option_itself():
    assert decode("2019,2023", YEARS, (2016, 2025)) == (2019, 2023)
    assert decode("2020", YEARS, 2025) == 2020
    assert decode("1", [False, True], False) is True
    assert decode("SEX,nonsense,LAB", ["LAB", "SEX", "MAR"], ["LAB"]) == ["SEX", "LAB"]


@pytest.mark.parametrize(
    ("raw", "options", "default"),
    [
        ("1999", YEARS, 2025),  # a year not in the data
        ("2019", YEARS, (2016, 2025)),  # one end of a range
        ("2019,2020,2021", YEARS, (2016, 2025)),
        ("nonsense", ["LAB"], ["LAB"]),
        ("yes", [False, True], False),
        ("", ["Y", "H"], "Y"),
    ],
)
def test_a_broken_link_falls_back_to_the_default(raw, options, default):
    assert decode(raw, options, default) == default


def test_a_remembered_value_is_checked_against_the_current_options():
    assert valid("sex", ["_T", "sex"], "_T")
    assert not valid("sex.age_group", ["_T"], "_T")
    assert valid((2016, 2020), YEARS, (2016, 2025))
    assert not valid((2010, 2020), YEARS, (2016, 2025))


@given(st.lists(st.sampled_from(["LAB", "SEX", "MAR", "CRIM", "UNK"]), min_size=1, unique=True))
def test_lists_round_trip(chosen):
    text = encode(chosen, ["OTH"])
    assert decode(text, ["LAB", "SEX", "MAR", "CRIM", "UNK", "OTH"], ["OTH"]) == chosen


@given(st.sampled_from(YEARS), st.sampled_from(YEARS), st.sampled_from(YEARS), st.sampled_from(YEARS))
def test_ranges_round_trip(first, last, default_first, default_last):
    value, default = (min(first, last), max(first, last)), (default_first, default_last)
    assert decode(encode(value, default), YEARS, default) == value


def test_changing_filters_writes_the_view_into_the_url(demo_settings):
    at = open_page("trends.py", "en")
    at.selectbox(key="b").set_value("exploitation_form").run()
    at.segmented_control(key="g").set_value("bars").run()
    at.select_slider(key="y").set_value((2019, 2024)).run()
    assert not at.exception
    assert {k: at.query_params[k] for k in ("lang", "b", "g", "y")} == {
        "lang": "en",
        "b": "exploitation_form",
        "g": "bars",
        "y": "2019,2024",
    }
    assert "m" not in at.query_params  # the default measure is left out


def test_a_copied_link_reopens_the_same_view(demo_settings):
    """Filters set by hand, the URL they leave, and a fresh session opened from that URL show the same thing."""
    by_hand = open_page("trends.py", "sv")
    by_hand.selectbox(key="b").set_value("sex").run()
    by_hand.segmented_control(key="u").set_value("pct").run()
    by_hand.toggle(key="lfl").set_value(True).run()
    link = {k: v for k, v in by_hand.query_params.items() if k != "lang"}
    assert link == {"b": "sex", "u": "pct", "lfl": "1"}

    reopened = open_page("trends.py", "sv", link)
    assert not reopened.exception
    assert reopened.selectbox(key="b").value == "sex"
    assert reopened.segmented_control(key="u").value == "pct"
    assert reopened.toggle(key="lfl").value is True
    assert chart_figures(reopened) == chart_figures(by_hand)
    assert [c.value for c in reopened.caption] == [c.value for c in by_hand.caption]


def test_a_link_in_one_language_opens_the_same_view_in_another(demo_settings):
    link = {"m": "REF_TO_NAS", "b": "nas_status", "y": "2018,2025"}
    finnish, english = open_page("trends.py", "fi", link), open_page("trends.py", "en", link)
    fi_data = [trace for trace in chart_figures(finnish)[0]["data"] if trace["type"] != "heatmap"]
    en_data = [trace for trace in chart_figures(english)[0]["data"] if trace["type"] != "heatmap"]
    assert [trace["y"] for trace in fi_data] == [trace["y"] for trace in en_data]
    assert [trace["x"] for trace in fi_data] == [trace["x"] for trace in en_data]


def test_a_choice_that_cannot_carry_over_is_reset_with_a_notice(demo_settings):
    at = open_page("trends.py", "en", {"b": "sex"})
    assert at.selectbox(key="b").value == "sex" and not _notices(at)
    at.selectbox(key="m").set_value("CONTACTS_ANON").run()  # contacts are counted without breakdowns
    assert not at.exception
    assert at.selectbox(key="b").value != "sex"
    assert _notices(at) == [t("common.reset_notice", "en", label=t("trends.breakdown", "en"), values="Sex")]
    linked = open_page("trends.py", "fi", {"b": "no_such_breakdown", "y": "2019,2025"})  # a broken link
    assert [n.split(":")[0] for n in _notices(linked, "fi")] == [t("trends.breakdown", "fi")]


def _notices(at, lang: str = "en") -> list[str]:
    tail = t("common.reset_notice", lang, label="L", values="V").split("V", 1)[1]
    return [caption.value for caption in at.caption if caption.value.endswith(tail)]
