"""Who: sex and age, citizenship, residence status, and where the exploitation happened."""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from dashboard.app_pages.helpers import who
from dashboard.components import filters, page
from dashboard.components.chart import show
from dashboard.presenting import charts, series
from dashboard.presenting.specs import Chart
from dashboard.reading import protected
from etl.i18n import t

ctx = page.start("who.title", "who.intro")
lang, snapshot = ctx.lang, ctx.snapshot

# Filters
years = page.reporting_years(ctx, "PERS_NEW")
year = filters.year(t("common.year", lang), years)
view = protected.View("PERS_NEW", first_year=year, last_year=year)

# Query
totals = protected.network(snapshot, view)
sexes = charts.displayed(protected.network(snapshot, replace(view, dim1="sex")), lang)
sex_age_margins = protected.network(snapshot, replace(view, dim1="sex", dim2="age_group"), True)
sex_age_margins = charts.displayed(sex_age_margins, lang)
sex_age = series.inner_cells(sex_age_margins)
groups = charts.with_shares(
    charts.displayed(protected.network(snapshot, replace(view, dim1="citizenship_group")), lang), totals
)
countries = charts.displayed(
    series.may_be_shown(protected.network(snapshot, replace(view, dim1="citizenship")), "citizenship"), lang
)
residence = charts.with_shares(
    charts.displayed(protected.network(snapshot, replace(view, dim1="residence_status")), lang), totals
)
form_place = protected.network(snapshot, replace(view, dim1="exploitation_form", dim2="exploitation_place"), True)
places, places_total = series.cross_margin(form_place)
places = charts.with_shares(charts.displayed(places, lang), places_total)
view_state = page.state("who")

# Women, girls, men, boys
st.subheader(t("who.groups_title", lang, year=str(year)), anchor=False)
for column, (label, value) in zip(st.columns(4), who.women_girls_men_boys(sexes, sex_age_margins, lang), strict=True):
    column.metric(label, value, border=True)
st.caption(t("who.groups_help", lang))
show(
    charts.cross(
        ctx, Chart("who.sex_age", t("who.sex_age_title", lang), view_state), sex_age, "PERS_NEW", "sex", "age_group"
    )
)

# Citizenship
show(
    charts.breakdown(
        ctx,
        Chart("who.citizenship_groups", t("who.groups_chart_title", lang), view_state),
        groups,
        "PERS_NEW",
        "citizenship_group",
    )
)
show(
    charts.breakdown(
        ctx,
        Chart(
            "who.countries",
            t("who.countries_title", lang),
            view_state,
            [t("notes.countries", lang, threshold=str(ctx.threshold))],
        ),
        who.largest_countries(countries),
        "PERS_NEW",
        "citizenship",
    )
)

# Residence status and where the exploitation happened
show(
    charts.breakdown(
        ctx,
        Chart("who.residence", t("who.residence_title", lang), view_state),
        residence,
        "PERS_NEW",
        "residence_status",
    )
)
show(
    charts.breakdown(
        ctx, Chart("who.place", t("who.place_title", lang), view_state), places, "PERS_NEW", "exploitation_place"
    )
)
page.footer(ctx)
