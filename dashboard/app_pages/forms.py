"""Forms and sectors: forms of exploitation over time, by sex and by place, and the sectors of forced labour."""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from dashboard.components import filters, page
from dashboard.components.chart import show
from dashboard.presenting import charts
from dashboard.presenting.specs import Chart
from dashboard.reading import protected
from etl.codebook import TOTAL
from etl.i18n import t

ctx = page.start("forms.title", "forms.intro")
lang, snapshot = ctx.lang, ctx.snapshot

# Filters
years = page.reporting_years(ctx, "PERS_NEW")
left, right = st.columns(2)
with left:
    first, last = filters.year_range(t("forms.years", lang), years, "y")
with right:
    year = filters.year(t("forms.year", lang), years)
mode = filters.choice(
    t("trends.chart", lang),
    ["bars", "line"],
    "g",
    "bars",
    lambda g: t(f"trends.chart_{g}", lang),
    widget=st.segmented_control,
)
span = protected.View("PERS_NEW", "exploitation_form", first_year=first, last_year=last)
one_year = replace(span, first_year=year, last_year=year)

# Query
with_total = charts.displayed(protected.network(snapshot, span, margins=True), lang).assign(code=lambda f: f["code1"])
forms = with_total[with_total["code"] != TOTAL]
by_sex = charts.displayed(protected.network(snapshot, replace(one_year, dim2="sex")), lang)
by_place = charts.displayed(protected.network(snapshot, replace(one_year, dim2="exploitation_place")), lang)
sectors_totals = protected.network(snapshot, one_year)
sectors = charts.displayed(protected.network(snapshot, replace(one_year, dim1="labour_sector")), lang)
sectors = charts.with_shares(sectors, sectors_totals[sectors_totals["code1"] == "LAB"])
state = page.state("forms")

# Figures
show(
    charts.over_time(
        ctx,
        Chart("forms.over_time", t("forms.over_time_title", lang), state),
        forms,
        "PERS_NEW",
        "exploitation_form",
        mode=mode,
        every=with_total,
    )
)
show(
    charts.cross(
        ctx, Chart("forms.by_sex", t("forms.by_sex_title", lang), state), by_sex, "PERS_NEW", "exploitation_form", "sex"
    )
)
show(
    charts.cross(
        ctx,
        Chart("forms.by_place", t("forms.by_place_title", lang), state),
        by_place,
        "PERS_NEW",
        "exploitation_form",
        "exploitation_place",
    )
)
show(
    charts.breakdown(
        ctx,
        Chart("forms.sectors", t("forms.sectors_title", lang), state, [t("forms.sectors_note", lang)]),
        sectors,
        "PERS_NEW",
        "labour_sector",
    )
)
page.footer(ctx)
