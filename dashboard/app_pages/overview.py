"""Overview: the latest full year at a glance, new clients by year, and what the figures are."""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from dashboard.app_pages.helpers import overview
from dashboard.components import page
from dashboard.components.chart import show
from dashboard.navigation import READERS
from dashboard.presenting import charts, series, tables
from dashboard.presenting.specs import Chart
from dashboard.reading import protected
from etl.codebook import TOTAL
from etl.i18n import t

ctx = page.start("overview.title", "overview.intro", roles=READERS)
lang, snapshot = ctx.lang, ctx.snapshot

# Query: the network's yearly totals, then the latest year's breakdowns
totals = charts.displayed(protected.network(snapshot, protected.View("PERS_NEW")), lang)
year = series.latest_year(totals)
if year is None:
    st.info(t("empty.no_data", lang))
    page.footer(ctx)
    st.stop()
latest = protected.View("PERS_NEW", first_year=year, last_year=year)
ages = charts.with_shares(
    charts.displayed(protected.network(snapshot, replace(latest, dim1="age_group")), lang), totals
)
forms = charts.with_shares(
    charts.displayed(protected.network(snapshot, replace(latest, dim1="exploitation_form")), lang), totals
)
form_place = protected.network(snapshot, replace(latest, dim1="exploitation_form", dim2="exploitation_place"), True)
places, _ = series.cross_margin(form_place)

# Headline figures of the latest year
headlines = [
    overview.new_clients(totals, lang),
    overview.share_of(
        ages, overview.MINORS, t("overview.metric_minors", lang), t("overview.metric_minors_help", lang), lang
    ),
    overview.Headline(
        t("overview.metric_finland", lang),
        tables.share_range_text(overview.in_finland(places, ctx.threshold), lang),
        help=t("overview.metric_finland_help", lang, threshold=str(ctx.threshold)),
    ),
    overview.largest(forms, ctx.labels("exploitation_form"), lang),
]
for column, headline in zip(st.columns(len(headlines)), headlines, strict=True):
    column.metric(
        headline.label,
        headline.value,
        headline.delta,
        help=headline.help,
        delta_color="off",
        border=True,
        delta_arrow="auto" if headline.arrow else "off",
    )
for note in (headline.note for headline in headlines if headline.note):
    st.caption(note)

# Figures
show(
    charts.over_time(
        ctx,
        Chart("overview.new_clients_by_year", t("overview.chart_title", lang), page.state("overview")),
        totals.assign(code=TOTAL),
        "PERS_NEW",
        mode="bars",
    )
)
show(
    charts.breakdown(
        ctx,
        Chart("overview.forms_latest", t("overview.forms_title", lang, year=str(year)), page.state("overview")),
        forms,
        "PERS_NEW",
        "exploitation_form",
    )
)
page.footer(ctx)
