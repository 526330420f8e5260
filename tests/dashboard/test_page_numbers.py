"""The pages draw the demo data's numbers, protected: checked against independent SQL on the snapshot."""

from __future__ import annotations

import csv
import io
from datetime import date

import openpyxl
import pytest

from dashboard.components import chart
from dashboard.exports.pack import Exports
from dashboard.exports.provenance import build_context
from etl.i18n import format_int, t
from tests.dashboard import expected
from tests.dashboard.expected import cells, labels, protect
from tests.helpers import chart_figures, open_page

YEARS = [str(year) for year in range(2016, 2026)]


@pytest.fixture(scope="module")
def con(demo_env):
    with expected.snapshot(demo_env) as connection:
        yield connection


def _traces(figure: dict) -> dict[str, dict]:
    return {trace.get("name"): trace for trace in figure["data"] if trace["type"] in ("bar", "scatter")}


def _by_label(trace: dict) -> dict[str, float | None]:
    """A horizontal bar trace as label -> length (long labels are wrapped onto lines)."""
    return dict(zip((label.replace("<br>", " ") for label in trace["y"]), trace["x"], strict=True))


def _no_small_counts(figure: dict) -> None:
    for trace in figure["data"]:
        if trace["type"] in ("bar", "scatter"):
            values = trace["x"] if trace.get("orientation") == "h" else trace["y"]
            assert not [v for v in values if isinstance(v, float) and 1 <= v < expected.THRESHOLD], trace.get("name")


def test_overview(con, demo_env):
    at = open_page("overview.py", "en")
    yearly, forms = chart_figures(at)
    totals = cells(con, "PERS_NEW")
    bars = yearly["data"][0]
    assert bars["x"] == YEARS
    assert bars["y"] == [totals[(y, "_T", "_T")] for y in YEARS]
    strip = next(trace for trace in yearly["data"] if trace["type"] == "heatmap")
    reported = dict(
        con.execute(
            "SELECT period, count(DISTINCT org_code) FROM fact WHERE measure = 'PERS_NEW' AND dim1 = '_T' AND kind = 'Y' AND value IS NOT NULL GROUP BY ALL"
        ).fetchall()
    )
    assert strip["z"] == [[reported[y] for y in YEARS]]

    by_form = cells(con, "PERS_NEW", "exploitation_form", year=2025)
    names = labels(con, "exploitation_form")
    assert _by_label(forms["data"][0]) == {names[code]: value for (_, code, _), value in by_form.items()}
    _no_small_counts(yearly)
    _no_small_counts(forms)

    ages = cells(con, "PERS_NEW", "age_group", year=2025)
    minors = ages[("2025", "Y0_17", "_T")]
    assert at.metric[1].value == f"{expected.round_half_up(minors, totals[('2025', '_T', '_T')])}\u00a0%"
    change = totals[("2025", "_T", "_T")] - totals[("2024", "_T", "_T")]
    assert at.metric[0].delta.startswith(f"+{int(change)}" if change > 0 else "−")
    members = {year: count for year, count in reported.items() if year in ("2024", "2025")}
    note = t("overview.members_changed", "en", year="2025", before_year="2024",
             members=str(members["2025"]), before=str(members["2024"]))  # fmt: skip
    assert (note in [c.value for c in at.caption]) == (members["2025"] != members["2024"])


def test_trends_by_a_breakdown_with_hidden_cells(con, demo_env):
    offered = [y for y in YEARS if expected.offered(con, "PERS_NEW", "exploitation_form", year=int(y))]
    assert len(offered) >= 4
    at = open_page("trends.py", "en", {"b": "exploitation_form", "y": f"{offered[1]},2025", "s": "LAB,SEX,MIL"})
    figure = chart_figures(at)[0]
    traces = _traces(figure)
    forms = cells(con, "PERS_NEW", "exploitation_form")
    names = labels(con, "exploitation_form")
    shown = offered[1:]  # the years of the span the breakdown is offered for
    for code in ("LAB", "SEX", "MIL"):
        assert traces[names[code]]["x"] == shown
        assert traces[names[code]]["y"] == [forms[(y, code, "_T")] for y in shown]
    # Child soldiers are small counts: the line has gaps, and each gap has a "×" at the axis (never a zero).
    gaps = [y for y in shown if forms[(y, "MIL", "_T")] is None]
    assert gaps
    marks = [a for a in figure["layout"]["annotations"] if a.get("text") == "×"]
    assert {shown[int(a["x"])] for a in marks if names["MIL"] in a["hovertext"]} == set(gaps)
    _no_small_counts(figure)


def test_trends_table_files_hold_the_total_and_every_group(con, demo_env, monkeypatch):
    specs: list = []
    monkeypatch.setattr(chart, "download_menu", specs.append)  # keep the chart's FigureSpec
    at = open_page("trends.py", "en", {"b": "exploitation_form", "y": "2020,2025", "s": "LAB,SEX,MIL"})
    names = labels(con, "exploitation_form")
    drawn_names = set(_traces(chart_figures(at)[0])) & set(names.values())
    assert drawn_names == {names[code] for code in ("LAB", "SEX", "MIL")}  # the chart draws the chosen three
    spec = specs[-1]
    exports = Exports.of(spec, build_context(spec, root="https://example.fi", today=date(2026, 12, 5)))
    rows = list(csv.DictReader(io.StringIO(exports.csv().decode("utf-8"))))
    forms, totals = (
        cells(con, "PERS_NEW", "exploitation_form"),
        expected.breakdown_total(con, "PERS_NEW", "exploitation_form"),
    )
    years = [row["Period"] for row in rows]
    codes = sorted({code for (year, code, _) in forms if year in years})
    assert len(codes) > 3
    header = {code: names[code] + (" (in the chart)" if code in ("LAB", "SEX", "MIL") else "") for code in codes}
    assert set(header.values()) | {"Period", "Total", "Members reporting"} <= set(rows[0])
    assert list(rows[0])[:2] == ["Period", "Total"]
    for row in rows:
        year = row["Period"]
        assert _number(row["Total"]) == totals[year]
        for code in codes:
            assert _number(row[header[code]]) == forms.get((year, code, "_T")), (year, code)
    drawn = t("notes.part_drawn", "en", drawn="3", groups=str(len(codes)))
    assert drawn in spec.notes
    workbook = openpyxl.load_workbook(io.BytesIO(exports.xlsx()))
    assert drawn in [cell.value for sheet in workbook for row in sheet.iter_rows() for cell in row]


def _number(text: str) -> float | None:
    """A table file's cell as the figure it gives (a hidden one gives none)."""
    return None if text in ("<5", "x", "..") else float(text)


def test_trends_half_years_of_the_total(con, demo_env):
    at = open_page("trends.py", "en", {"p": "H"})
    line = chart_figures(at)[0]["data"][0]
    halves = cells(con, "PERS_NEW", kinds=("H1", "H2"))
    periods = sorted({period for period, _, _ in halves})
    assert line["x"] == periods
    assert line["y"] == [halves[(p, "_T", "_T")] for p in periods]


def test_trends_offers_half_years_of_a_breakdown_that_has_them(con, demo_env):
    halves = cells(con, "PERS_NEW", "sex", kinds=("H1", "H2"))
    assert halves  # the demo publishes sex by half-year for some year
    at = open_page("trends.py", "en", {"b": "sex", "p": "H"})
    assert at.segmented_control(key="p").value == "H"
    names = labels(con, "sex")
    traces = _traces(chart_figures(at)[0])
    periods = sorted({period for period, _, _ in halves})
    women = traces[names["F"]]
    assert women["x"] and [p for p in women["x"] if p in periods] == women["x"]  # half-years only
    assert [women["y"][women["x"].index(p)] for p in periods if p in women["x"]] == [
        halves[(p, "F", "_T")] for p in periods if p in women["x"]
    ]
    years_only = open_page("trends.py", "en", {"b": "citizenship_group", "p": "H"})
    assert years_only.segmented_control(key="p").value == "Y"  # not published by half-year: reset, and said
    assert any(c.value.startswith(t("trends.period", "en") + ":") for c in years_only.caption)


def test_trends_names_the_years_whose_breakdown_is_not_published(con, demo_env):
    offered = """
        SELECT DISTINCT year FROM published_cell
        WHERE measure = 'PERS_NEW' AND subset = 'all' AND kind = 'Y' AND dim1 = ? AND dim2 = '_T' AND offered
    """
    with_total = {y for (y,) in con.execute(offered, ["_T"]).fetchall()}
    by_sex = sorted(y for (y,) in con.execute(offered, ["sex"]).fetchall())
    inside = sorted(y for y in with_total - set(by_sex) if by_sex[0] < y < by_sex[-1])
    assert inside, "the demo publishes the new clients' sex every year: nothing for this test to show"
    at = open_page("trends.py", "en", {"b": "sex", "y": f"{by_sex[0]},{by_sex[-1]}"})
    note = t("trends.years_not_offered", "en", years=", ".join(map(str, inside)))
    assert any(note in caption.value for caption in at.caption)
    shown = {trace_x for trace in chart_figures(at)[0]["data"] if trace["type"] == "scatter" for trace_x in trace["x"]}
    assert not {str(y) for y in inside} & shown  # left out of the chart, named in the note
    after = open_page("trends.py", "en", {"b": "sex", "y": f"{inside[-1] + 1},{by_sex[-1]}"})
    assert not any(t("trends.years_not_offered", "en", years="\x00").split("\x00")[0] in c.value for c in after.caption)


def test_trends_like_for_like_says_which_spans_have_a_group(con, demo_env):
    starts = [y for (y,) in con.execute(
        "SELECT DISTINCT first_year FROM published_level WHERE measure = 'PERS_NEW' AND family = 'Y' ORDER BY 1"
    ).fetchall()]  # fmt: skip
    years = ", ".join(map(str, starts))
    whole = open_page("trends.py", "en", {"lfl": "1"})
    assert t("trends.lfl_starts", "en", years=years) in [c.value for c in whole.caption]
    said = []
    for first in range(starts[0] + 1, starts[-1]):  # spans that do not start with a group
        view = open_page("trends.py", "en", {"lfl": "1", "y": f"{first},2025"})
        if not chart_figures(view):  # nothing to draw: the advice names the years that work, never "longer"
            said += [box.value for box in view.info]
    assert said and set(said) == {t("trends.lfl_empty", "en", years=years)}


def test_trends_like_for_like_counts_only_members_of_every_period(con, demo_env):
    at = open_page("trends.py", "en", {"y": "2021,2025", "lfl": "1"})
    line = chart_figures(at)[0]["data"][0]
    rows = con.execute(
        """
        WITH every AS (
            SELECT org_code FROM coverage WHERE measure = 'PERS_NEW' AND kind = 'Y' AND year BETWEEN 2021 AND 2025
            GROUP BY org_code HAVING count(DISTINCT period) = 5
        )
        SELECT period, sum(value) FROM fact
        WHERE measure = 'PERS_NEW' AND dim1 = '_T' AND kind = 'Y' AND year BETWEEN 2021 AND 2025
          AND org_code IN (SELECT org_code FROM every)
        GROUP BY ALL ORDER BY ALL
        """
    ).fetchall()
    offered = {
        period: value
        for period, value in con.execute(
            "SELECT period, value FROM published_cell WHERE subset = 'lfl-Y-2021' AND measure = 'PERS_NEW' "
            "AND kind = 'Y' AND dim1 = '_T' AND offered"
        ).fetchall()
    }
    assert offered  # the demo offers some of these periods
    kept = [(period, value) for period, value in rows if period in offered]
    assert line["x"] == [period for period, _ in kept]
    assert line["y"] == [protect(value) if offered[period] is not None else None for period, value in kept]
    assert line["y"] != [cells(con, "PERS_NEW")[(p, "_T", "_T")] for p, _ in kept]


WHO_TABLES = [
    ("sex", "age_group"),
    ("citizenship_group", "_T"),
    ("citizenship", "_T"),
    ("residence_status", "_T"),
    ("exploitation_form", "exploitation_place"),
]


def _charts_of_offered_tables(
    con, at, figures: list[dict], tables: list[tuple[str, str]], year: int
) -> dict[tuple[str, str], dict]:
    """The page's figures by table: one per offered table, in order; a withheld table says so instead."""
    shown = [table for table in tables if expected.offered(con, "PERS_NEW", *table, year=year)]
    assert len(figures) == len(shown), (shown, len(figures))
    if len(shown) < len(tables):
        assert any(t("empty.not_offered", "en") in box.value for box in at.info), [b.value for b in at.info]
    return dict(zip(shown, figures, strict=True))


def test_who(con, demo_env):
    at = open_page("who.py", "en", {"year": "2024"})
    charts = _charts_of_offered_tables(con, at, chart_figures(at), WHO_TABLES, 2024)
    assert ("citizenship", "_T") in charts  # the page's main chart is offered in the demo's 2024
    cross = cells(con, "PERS_NEW", "sex", "age_group", year=2024)
    sexes, ages = labels(con, "sex"), labels(con, "age_group")
    if ("sex", "age_group") in charts:
        traces = _traces(charts["sex", "age_group"])
        for age in ("Y0_17", "Y18_29", "Y60_PLUS"):
            assert _by_label(traces[ages[age]]) == {
                sexes[s]: cross[("2024", s, age)] for s in ("F", "M", "X", "UNK") if ("2024", s, age) in cross
            }
    # Only countries with a count of at least the threshold are named, largest first; the smaller ones
    # are in the "other countries" of their citizenship group, listed after them.
    countries = charts["citizenship", "_T"]
    by_country = cells(con, "PERS_NEW", "citizenship", year=2024)
    names = labels(con, "citizenship")
    folded = ("OTH_EU", "OTH_NON_EU")
    named = [(-v, c) for (_, c, _), v in by_country.items() if v and c not in folded]
    visible = [(-v, names[c]) for v, c in sorted(named)[:15]] + [
        (v, names[c]) for (_, c, _), v in by_country.items() if v and c in folded
    ]
    assert any(c in folded for (_, c, _), v in by_country.items() if v)
    assert sorted(_by_label(countries["data"][0]).items()) == sorted((name, v) for v, name in visible)
    assert all(v >= expected.THRESHOLD for v in countries["data"][0]["x"])
    # the cards: women and girls from the split by sex, girls from the cross (as its chart)
    women = dict(
        con.execute(
            """SELECT CASE WHEN dim2 = '_T' THEN '_T' ELSE code2 END, value FROM published_cell
               WHERE subset = 'all' AND measure = 'PERS_NEW' AND year = 2024 AND kind = 'Y' AND dim1 = 'sex'
               AND code1 = 'F' AND offered AND (dim2 = '_T' OR (dim2 = 'age_group' AND code2 = 'Y0_17'))"""
        ).fetchall()
    )
    for metric, label, key in ((at.metric[0], "Women and girls", "_T"), (at.metric[1], "Girls (under 18)", "Y0_17")):
        assert metric.label == label
        value = women.get(key)
        if value is not None:
            assert metric.value == format_int(value, "en")
        else:  # hidden or not offered: its symbol, never a number
            assert metric.value in ("<5", "x", "..")
    for figure in charts.values():
        _no_small_counts(figure)


def test_forms_and_sectors(con, demo_env):
    at = open_page("forms.py", "en", {"year": "2023"})
    figures = chart_figures(at)
    over_time = figures[0]
    forms = cells(con, "PERS_NEW", "exploitation_form")
    names = labels(con, "exploitation_form")
    traces = _traces(over_time)
    offered_years = [y for y in YEARS if (y, "SEX", "_T") in forms]
    assert [traces[names["SEX"]]["y"][traces[names["SEX"]]["x"].index(y)] for y in offered_years] == [
        forms[(y, "SEX", "_T")] for y in offered_years
    ]
    tables = [("exploitation_form", "sex"), ("exploitation_form", "exploitation_place"), ("labour_sector", "_T")]
    later = _charts_of_offered_tables(con, at, figures[1:], tables, 2023)
    if ("labour_sector", "_T") in later:
        by_sector = cells(con, "PERS_NEW", "labour_sector", year=2023)
        sector_names = labels(con, "labour_sector")
        assert _by_label(later["labour_sector", "_T"]["data"][0]) == {
            sector_names[c]: v for (_, c, _), v in by_sector.items()
        }
    assert ("exploitation_form", "exploitation_place") in later  # offered in the demo's 2023
    place = cells(con, "PERS_NEW", "exploitation_form", "exploitation_place", year=2023)
    places = labels(con, "exploitation_place")
    by_place = later["exploitation_form", "exploitation_place"]
    assert _by_label(_traces(by_place)[places["FI"]])[names["LAB"]] == place[("2023", "LAB", "FI")]
    for figure in figures:
        _no_small_counts(figure)


def test_pathways(con, demo_env):
    at = open_page("pathways.py", "en", {"u": "n"})
    _referrals, assistance, _police, reported, before = chart_figures(at)
    nas = cells(con, "PERS_NEW", "nas_status", year=2025)
    nas_names = labels(con, "nas_status")
    assert _by_label(assistance["data"][0]) == {nas_names[c]: v for (_, c, _), v in nas.items()}
    police_totals = cells(con, "REPORTED_POLICE")
    assert reported["data"][0]["y"] == [police_totals[(y, "_T", "_T")] for y in YEARS]
    # The 2019 criminal-law change is drawn on the police series.
    assert any(a.get("hovertext", "").startswith("Criminal-law change") for a in reported["layout"]["annotations"])
    first = cells(con, "FIRST_CONTACT_BEFORE_AUTH")
    assert before["data"][0]["y"] == [first[(y, "_T", "_T")] for y in YEARS]


def test_support_says_services_are_multi_response(con, demo_env):
    at = open_page("support.py", "en", {"s": "ADVICE,LEGAL"})
    services, _latest, contacts = chart_figures(at)
    given = cells(con, "SERVICE_PERS", "service_type")
    names = labels(con, "service_type")
    assert _traces(services)[names["LEGAL"]]["y"] == [given[(y, "LEGAL", "_T")] for y in YEARS]
    anonymous = cells(con, "CONTACTS_ANON")
    assert contacts["data"][0]["y"] == [anonymous[(y, "_T", "_T")] for y in YEARS]
    notes = "\n".join(c.value for c in at.caption)
    assert "do not add up" in notes and "contacts, not persons" in notes


def test_context_sets_official_figures_beside_the_network(con, demo_env):
    at = open_page("context.py", "en")
    figure = chart_figures(at)[0]
    network, official = figure["data"][0], figure["data"][1]
    totals = cells(con, "PERS_NEW")
    assert network["y"] == [totals[(y, "_T", "_T")] for y in YEARS]
    reference = con.execute(
        "SELECT p.year::VARCHAR, v.value FROM reference_value v JOIN period p ON p.code = v.period ORDER BY 1"
    ).fetchall()
    assert official["x"] == [y for y, _ in reference] and official["y"] == [float(v) for _, v in reference]
    assert any("Not comparable" in i.value for i in at.info)


def test_methods_coverage_matrix(con, demo_env):
    at = open_page("methods.py", "en")
    matrix = chart_figures(at)[0]["data"][0]
    reported = set(
        con.execute(
            "SELECT DISTINCT o.name_en, f.period FROM fact f JOIN organisation o ON o.code = f.org_code "
            "WHERE f.measure = 'PERS_NEW' AND f.dim1 = '_T' AND f.kind = 'Y' AND f.value IS NOT NULL"
        ).fetchall()
    )
    assert matrix["x"] == YEARS
    assert len(matrix["y"]) == 12
    for name, row in zip((y.replace("<br>", " ") for y in matrix["y"]), matrix["z"], strict=True):
        assert row == [1 if (name, year) in reported else 0 for year in YEARS]
