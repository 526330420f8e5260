"""Support given: persons receiving each kind of service, and anonymous contacts."""

from __future__ import annotations

import streamlit as st

from dashboard.components import filters, page
from dashboard.components.chart import show
from dashboard.presenting import charts, series
from dashboard.presenting.specs import Chart
from dashboard.reading import protected
from etl.codebook import TOTAL
from etl.i18n import t

ctx = page.start("support.title", "support.intro")
lang, snapshot = ctx.lang, ctx.snapshot

# Query (every year: these tables are small), then the filters that pick from them
services = charts.displayed(protected.network(snapshot, protected.View("SERVICE_PERS", "service_type")), lang)
contacts = charts.displayed(protected.network(snapshot, protected.View("CONTACTS_ANON")), lang)
codes = series.codes_by_size(services, "code1")
chosen = (
    filters.several(t("support.services", lang), codes, "s", codes[: series.MAX_SERIES - 1], ctx.namer("service_type"))
    if codes
    else []
)
mode = filters.choice(
    t("trends.chart", lang),
    ["line", "bars"],
    "g",
    "line",
    lambda g: t(f"trends.chart_{g}", lang),
    widget=st.segmented_control,
)
latest = series.latest_year(services)
state = page.state("support")

# Figures
show(
    charts.over_time(
        ctx,
        Chart("support.services_over_time", t("support.over_time_title", lang), state),
        services[services["code1"].isin(chosen)].assign(code=lambda f: f["code1"]),
        "SERVICE_PERS",
        "service_type",
        mode=mode,
        members=series.period_members(services),
        every=services.assign(code=lambda f: f["code1"]),  # no total: one person may get several services
    )
)
show(
    charts.breakdown(
        ctx,
        Chart("support.services_latest", t("support.latest_title", lang, year=str(latest or "")), state),
        services[services["year"] == latest],
        "SERVICE_PERS",
        "service_type",
    )
)
show(
    charts.over_time(
        ctx,
        Chart("support.contacts", t("support.contacts_title", lang), page.state("support")),
        contacts.assign(code=TOTAL),
        "CONTACTS_ANON",
        mode="bars",
    )
)
page.footer(ctx)
