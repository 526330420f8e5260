"""Pathways: how people reached members, the Assistance System, the police, and NGOs before any authority."""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from dashboard.app_pages.helpers import pathways
from dashboard.components import filters, page
from dashboard.components.chart import show
from dashboard.presenting import charts, series
from dashboard.presenting.specs import Chart
from dashboard.reading import protected
from etl.codebook import TOTAL
from etl.i18n import t

ctx = page.start("pathways.title", "pathways.intro")
lang, snapshot = ctx.lang, ctx.snapshot

# Filters
years = page.reporting_years(ctx, "PERS_NEW")
year = filters.year(t("common.year", lang), years)
one_year = protected.View("PERS_NEW", first_year=year, last_year=year)

# Query
totals = protected.network(snapshot, one_year)
referrals = charts.with_shares(
    charts.displayed(protected.network(snapshot, replace(one_year, dim1="referral_source")), lang), totals
)
assistance = charts.with_shares(
    charts.displayed(protected.network(snapshot, replace(one_year, dim1="nas_status")), lang), totals
)
police = charts.with_shares(
    charts.displayed(protected.network(snapshot, replace(one_year, dim1="police_status")), lang), totals
)
reported = charts.displayed(protected.network(snapshot, protected.View("REPORTED_POLICE")), lang)
before = charts.displayed(protected.network(snapshot, protected.View("FIRST_CONTACT_BEFORE_AUTH")), lang)
new_clients = protected.network(snapshot, protected.View("PERS_NEW"))
same = page.same_reporters(ctx, "FIRST_CONTACT_BEFORE_AUTH", "PERS_NEW")
before = protected.shares(before, series.measure_denominators(new_clients, same))

# How people reached members
show(
    charts.breakdown(
        ctx,
        Chart("pathways.referrals", t("pathways.referrals_title", lang), page.state("pathways")),
        referrals,
        "PERS_NEW",
        "referral_source",
    )
)

# What the network sees that official statistics do not
outside = pathways.outside_assistance(assistance, ctx.threshold, lang)
st.columns(3)[0].metric(
    t("pathways.outside_metric", lang, year=str(year)), outside.value, help=outside.help, border=True
)
show(
    charts.breakdown(
        ctx,
        Chart(
            "pathways.assistance",
            t("pathways.assistance_title", lang),
            page.state("pathways"),
            [t("pathways.assistance_note", lang)],
        ),
        assistance,
        "PERS_NEW",
        "nas_status",
    )
)

# Reporting to the police
show(
    charts.breakdown(
        ctx,
        Chart("pathways.police", t("pathways.police_title", lang), page.state("pathways")),
        police,
        "PERS_NEW",
        "police_status",
    )
)
show(
    charts.over_time(
        ctx,
        Chart("pathways.reported_police", t("pathways.reported_title", lang), page.state("pathways")),
        reported.assign(code=TOTAL),
        "REPORTED_POLICE",
        mode="bars",
    )
)

# Contact with an NGO before any authority
unit = filters.choice(
    t("trends.unit", lang), ["pct", "n"], "u", "pct", lambda u: t(f"trends.unit_{u}", lang), widget=st.segmented_control
)
show(
    charts.over_time(
        ctx,
        Chart(
            "pathways.before_authority",
            t("pathways.before_title", lang),
            page.state("pathways"),
            [t("pathways.before_note", lang)],
        ),
        before.assign(code=TOTAL),
        "FIRST_CONTACT_BEFORE_AUTH",
        share=unit == "pct",
    )
)
page.footer(ctx)
