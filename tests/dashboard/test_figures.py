"""Figures are pure functions of protected frames: hidden cells are gaps with a mark, never zeros."""

import json

import pandas as pd

from bench.harness.plotly_json import decode_typed_arrays
from dashboard.app_pages.helpers import methods
from dashboard.presenting import series, theme
from dashboard.presenting.figures import bars, trend
from dashboard.reading.vocabulary import breakdown_code, breakdown_pair
from etl.codebook import load_codebook


def _frame():
    rows = [
        ("2022", "LAB", 40, "", "40"),
        ("2022", "MIL", None, "c", "<5"),
        ("2023", "LAB", 45, "", "45"),
        ("2023", "MIL", 0, "", "0"),
        ("2024", "LAB", 50, "p", "50"),
        ("2024", "MIL", None, "c", "<5"),
    ]
    out = pd.DataFrame(rows, columns=["period", "code", "value", "flag", "display"])
    out["year"], out["kind"] = out["period"].astype(int), "Y"
    out["value"] = out["value"].astype("Int64")
    out["members"] = out["period"].map({"2022": 4, "2023": 4, "2024": 4})
    return out


def _json(figure):
    return decode_typed_arrays(json.loads(figure.to_json()))


MEMBERS = pd.DataFrame({"period": ["2022", "2023", "2024"], "members": [3, 4, 4]})
BREAKS = pd.DataFrame({"year": [2023], "label": ["A law changed"]})


def test_a_hidden_point_is_a_gap_with_a_mark_on_the_axis():
    figure = _json(trend.trend_figure(_frame(), {"LAB": "Labour", "MIL": "Military"}, {}, MEMBERS, BREAKS, "en", 5))
    military = next(d for d in figure["data"] if d.get("name") == "Military")
    assert military["y"][1] == 0.0 and military["y"][0] is None and military["y"][2] is None
    assert military["connectgaps"] is False
    marks = [a for a in figure["layout"]["annotations"] if a["text"] == "×"]
    assert sorted(a["x"] for a in marks) == [0, 2]  # positions of 2022 and 2024, at the bottom of the axis
    assert all(a["yref"] == "y domain" and a["y"] == 0 for a in marks)
    assert any(d.get("name", "").startswith("× hidden figure (<5 or x") for d in figure["data"])


def test_hidden_points_of_several_series_share_one_mark_at_one_height():
    frame = _frame()
    labour = frame[frame["code"] == "LAB"]
    other = labour.assign(code="SEX", value=labour["value"].where(labour["period"] != "2024"), flag="")
    other.loc[other["period"] == "2024", ["flag", "display"]] = ["d", "x"]
    figure = _json(trend.trend_figure(pd.concat([frame, other]), {}, {}, MEMBERS, BREAKS, "en", 5))
    marks = [a for a in figure["layout"]["annotations"] if a["text"] == "×"]
    assert sorted(a["x"] for a in marks) == [0, 2]  # 2024 hides two series: still one mark
    assert {(a["y"], a.get("yshift", 0), a["font"]["color"]) for a in marks} == {(0, 0, theme.HIDDEN)}
    at_2024 = next(a for a in marks if a["x"] == 2)
    assert "MIL, 2024: <5" in at_2024["hovertext"] and "SEX, 2024: x" in at_2024["hovertext"]


def test_stacked_bars_mark_hidden_parts_in_one_row_above_every_stack():
    figure = _json(trend.trend_figure(_frame(), {}, {}, MEMBERS, BREAKS, "en", 5, mode="bars"))
    marks = [a for a in figure["layout"]["annotations"] if a["text"] == "×"]
    tallest = max(sum(trace["y"][i] or 0 for trace in figure["data"] if trace["type"] == "bar") for i in range(3))
    assert [(a["x"], a["y"], a["yanchor"]) for a in marks] == [(0, tallest, "bottom"), (2, tallest, "bottom")]


def test_the_strip_shows_members_and_the_break_sits_before_its_year():
    figure = _json(trend.trend_figure(_frame(), {}, {}, MEMBERS, BREAKS, "en", 5))
    strip = next(d for d in figure["data"] if d["type"] == "heatmap")
    assert strip["z"] == [[3, 4, 4]]
    assert [s["x0"] for s in figure["layout"]["shapes"]] == [0.5]
    assert any(a.get("hovertext") == "A law changed" for a in figure["layout"]["annotations"])


def test_breakdown_bars_write_the_hidden_text_instead_of_a_bar():
    one = _frame()[lambda f: f["period"] == "2024"].rename(columns={"code": "code1"})
    figure = _json(bars.breakdown_bars(one, {}, {}, "en", 5))
    assert figure["data"][0]["x"] == [50.0, None]
    assert [a["text"] for a in figure["layout"]["annotations"]] == ["<5"]


def test_a_cross_has_no_legend_key_for_a_colour_that_draws_no_bar():
    rows = [("F", "Y0_17", 10, "10"), ("F", "Y18_29", None, "x"), ("M", "Y0_17", 12, "12"), ("M", "Y18_29", None, "<5")]
    cross = pd.DataFrame(rows, columns=["code1", "code2", "value", "display"])
    cross["value"], cross["flag"] = cross["value"].astype("Int64"), cross["display"].map({"x": "d", "<5": "c"})
    figure = _json(bars.cross_bars(cross, {}, {}, {}, "en", 5))
    keys = {trace["name"]: trace.get("showlegend", True) for trace in figure["data"] if trace["type"] == "bar"}
    assert keys == {"Y0_17": True, "Y18_29": False}
    assert [a["text"] for a in figure["layout"]["annotations"]].count("×") == 2  # each row says what it hides


def test_a_cross_keeps_its_legend_clear_of_the_axis_and_inside_the_figure():
    sexes, ages = ["F", "M", "X"], ["Y0_17", "Y18_29", "Y30_39", "Y40_49", "Y50_59"]
    for rows in (1, 3):  # one row or several: the legend sits the same distance under the plot
        cells = [(sex, age, 10, "10") for sex in sexes[:rows] for age in ages]
        cross = pd.DataFrame(cells, columns=["code1", "code2", "value", "display"])
        cross["value"], cross["flag"] = cross["value"].astype("Int64"), None
        layout = _json(bars.cross_bars(cross, {}, {}, {}, "en", 5))["layout"]
        legend, height, foot = layout["legend"], layout["height"], layout["margin"]["b"]
        top = legend["y"] * height  # px above the figure's bottom edge
        assert (legend["yref"], legend["yanchor"]) == ("container", "top")
        assert foot - top >= 30  # below the axis numbers
        assert top >= bars.legend_room(len(ages) + 1)  # a narrow screen's rows of keys fit under it


def test_summaries_use_the_shown_numbers():
    summary = trend.trend_summary(_frame(), {"LAB": "Labour", "MIL": "Military"}, "en")
    assert "Labour" in summary and "50" in summary and "40" in summary
    hidden = _frame().assign(value=pd.array([None] * 6, dtype="Int64"))
    assert trend.trend_summary(hidden, {}, "en") == "Every figure is hidden to protect small counts."


def test_a_summary_says_when_another_number_of_members_reported():
    same = trend.trend_summary(_frame(), {"LAB": "Labour"}, "en")
    assert "Members reporting" not in same
    grown = _frame().assign(members=lambda f: f["period"].map({"2022": 3, "2023": 4, "2024": 5}))
    summary = trend.trend_summary(grown, {"LAB": "Labour"}, "en")
    assert summary == same + " Members reporting: 3 in 2022, 5 in 2024."


def test_a_code_has_one_colour_on_every_page():
    forms = list(load_codebook().codes["exploitation_form"])
    colours = theme.category_colours(forms)
    assert colours == theme.category_colours(forms)  # by codebook order, not by what is on screen
    assert colours["UNK"] == theme.MUTED and colours["OTH"] == theme.OTHER
    shown = [c for c in colours.values() if c not in (theme.MUTED, theme.OTHER)]
    assert len(set(shown)) == len(shown)


def test_breakdown_codes_round_trip():
    for pair in [("_T", "_T"), ("sex", "_T"), ("sex", "age_group")]:
        assert breakdown_pair(breakdown_code(pair)) == pair


def test_what_a_data_version_changed_in_words():
    names = {"alfa": "Alfa ry", "beeta": "Beeta ry"}
    published = '{"published": [{"org_code": "alfa", "period": "2024", "version": 1}, {"org_code": "beeta", "period": "2023", "version": 2}]}'
    assert methods.changes(published, names, "en") == "members with new reports: 1; revised: Beeta ry 2023"
    withdrawn = '{"withdrawn": [{"org_code": "alfa", "period": "2024", "version": 1}]}'
    assert methods.changes(withdrawn, names, "fi") == "peruttu: Alfa ry 2024"
    assert methods.changes(None, names, "sv") == "inga ändringar i siffrorna"


def test_the_groups_left_out_are_dotted_and_hatched_apart_from_other_which_shares_their_grey():
    frame = _frame()
    rest = frame[frame["code"] == "LAB"].assign(code=series.OTHER_GROUPS)
    other = frame[frame["code"] == "LAB"].assign(code="X")
    colours = {"X": theme.OTHER, series.OTHER_GROUPS: theme.OTHER}
    both = pd.concat([other, rest])
    lines = {d["name"]: d for d in _json(trend.trend_figure(both, {}, colours, MEMBERS, BREAKS, "en", 5))["data"]}
    assert (lines["X"]["line"]["dash"], lines[series.OTHER_GROUPS]["line"]["dash"]) == ("solid", "dot")
    assert lines[series.OTHER_GROUPS]["marker"]["symbol"] == "circle-open"
    stacked = _json(trend.trend_figure(both, {}, colours, MEMBERS, BREAKS, "en", 5, mode="bars"))["data"]
    bars_of = {d["name"]: d for d in stacked if d["type"] == "bar"}
    pattern = bars_of[series.OTHER_GROUPS]["marker"]["pattern"]
    assert (pattern["shape"], pattern["fillmode"]) == ("/", "overlay")  # stripes over the bar's own grey
    assert "shape" not in bars_of["X"]["marker"].get("pattern", {})
    assert bars_of["X"]["marker"]["color"] == bars_of[series.OTHER_GROUPS]["marker"]["color"] == theme.OTHER
