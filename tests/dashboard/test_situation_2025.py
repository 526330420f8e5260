"""The splits the Assistance System publishes every year are shown for the demo's latest year (issue 13).

Sex, minors, exploited in Finland or abroad, form of exploitation, nationalities of 5 or
more and every pathway total: the pages read them as numbers (DATA-CONTRACT 8.8), and no
default view of a page draws an empty chart.
"""

from __future__ import annotations

import pytest

from etl.i18n import format_int
from tests.dashboard import expected
from tests.helpers import chart_figures, open_page

YEAR = "2025"


@pytest.fixture(scope="module")
def con(demo_env):
    with expected.snapshot(demo_env) as connection:
        yield connection


def _shown(con, measure: str, dim1: str, dim2: str = "_T", code1: str | None = None) -> dict:
    """The network's published cells of 2025 for one table: code -> value (None when hidden)."""
    rows = con.execute(
        """SELECT CASE WHEN dim2 = '_T' THEN code1 ELSE code2 END, value FROM published_cell
           WHERE subset = 'all' AND measure = ? AND dim1 = ? AND dim2 = ? AND year = 2025 AND kind = 'Y'
             AND offered AND (? IS NULL OR code1 = ?)""",
        [measure, dim1, dim2, code1, code1],
    ).fetchall()
    return dict(rows)


def test_the_official_splits_of_the_latest_year_are_shown(con):
    sex = _shown(con, "PERS_NEW", "sex")
    assert sex["F"] is not None and sex["M"] is not None
    assert _shown(con, "PERS_NEW", "age_group")["Y0_17"] is not None  # minors
    places = _shown(con, "PERS_NEW", "exploitation_form", "exploitation_place", code1="_T")
    assert places["FI"] is not None and places["ABROAD"] is not None
    forms = _shown(con, "PERS_NEW", "exploitation_form")
    assert all(forms[code] is not None for code in ("LAB", "SEX", "MAR"))
    countries = _shown(con, "PERS_NEW", "citizenship")
    large = [code for code, value in countries.items() if code != "_T" and value is not None and value >= 5]
    assert len(large) >= 10
    for measure in ("PERS_NEW", "REF_TO_NAS", "REPORTED_POLICE", "FIRST_CONTACT_BEFORE_AUTH"):
        assert _shown(con, measure, "_T")["_T"] is not None, measure


def test_the_who_page_shows_women_men_and_where_exploitation_happened(con, demo_env):
    at = open_page("who.py", "en", {"year": YEAR})
    women, girls, men, _ = (metric.value for metric in at.metric)
    sexes = _shown(con, "PERS_NEW", "sex")  # every member reporting sex, as the Assistance System publishes
    girls_cell = _shown(con, "PERS_NEW", "sex", "age_group", code1="F")["Y0_17"]  # the cross, as the chart
    assert (women, men) == (format_int(sexes["F"], "en"), format_int(sexes["M"], "en"))
    assert girls == format_int(girls_cell, "en")
    figures = chart_figures(at)
    place = figures[-1]  # the last chart: where the exploitation happened
    lengths = [v for trace in place["data"] if trace["type"] == "bar" for v in trace["x"] if v is not None]
    assert lengths, "the place chart draws bars"
    places = _shown(con, "PERS_NEW", "exploitation_form", "exploitation_place", code1="_T")
    assert max(lengths) == max(v for k, v in places.items() if k != "_T" and v is not None)


def test_the_overview_card_exploited_in_finland_is_a_share(demo_env):
    at = open_page("overview.py", "en")
    finland = at.metric[2].value
    assert finland.endswith("%") and finland[0].isdigit(), finland


def test_the_pathways_page_counts_those_outside_the_assistance_system(demo_env):
    at = open_page("pathways.py", "en", {"year": YEAR})
    outside = at.metric[0].value
    assert outside[0].isdigit() and "x" not in outside and ".." not in outside, outside


@pytest.mark.parametrize(
    "page",
    [
        "overview.py",
        "trends.py",
        "who.py",
        "forms.py",
        "pathways.py",
    ],
)
def test_no_default_view_draws_an_empty_chart(demo_env, page):
    at = open_page(page, "en")
    assert not at.exception
    for figure in chart_figures(at):
        drawn = [v for trace in figure["data"] for v in (trace.get("x") or []) + (trace.get("y") or [])]
        assert drawn, figure["layout"].get("title")
    empty = [element.value for element in at.info if "not published" in str(element.value)]
    assert not empty


def test_no_year_withholds_a_split_the_assistance_system_publishes(con):
    """Sex, age, place and form of exploitation, nationalities: never withheld as tables (DATA-CONTRACT 8.8).

    Protection may withhold crosses and half-years around a figure no hiding protects; the
    network's yearly splits are the last thing it may take, and the demo needs none of them
    (a regression once withheld the split by form of exploitation for 2017 and 2019-2023).
    """
    withheld = con.execute(
        """SELECT DISTINCT year, dim1 FROM published_cell
           WHERE subset = 'all' AND measure = 'PERS_NEW' AND kind = 'Y' AND dim2 = '_T' AND reason = 'unsafe'
             AND dim1 IN ('sex', 'age_group', 'exploitation_form', 'citizenship') ORDER BY ALL"""
    ).fetchall()
    assert withheld == []
