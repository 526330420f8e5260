"""Context: the network's new clients beside official figures, and why they are not comparable."""

from __future__ import annotations

import streamlit as st

from dashboard.app_pages.helpers import context
from dashboard.components import page
from dashboard.components.chart import show
from dashboard.presenting import charts
from dashboard.presenting.specs import Chart
from dashboard.reading import data, protected
from etl.i18n import t

ctx = page.start("context.title", "context.intro")
lang, snapshot = ctx.lang, ctx.snapshot

# Query: the network's yearly totals (through the gate) and the official series (public reference data)
network = charts.displayed(protected.network(snapshot, protected.View("PERS_NEW")), lang)
references = data.public_query(snapshot, "reference_series")

# One chart per official series, with why it differs and where it comes from
for reference in references.itertuples(index=False):
    label = str(getattr(reference, f"label_{lang}"))
    why = t("context.not_comparable", lang, reason=getattr(reference, f"not_comparable_{lang}"))
    source = t("context.source", lang, source=getattr(reference, f"source_{lang}"), url=reference.source_url)
    notes = [line for line in (why, source, context.checked_line(reference._asdict(), lang)) if line]
    chart = Chart(
        f"context.{str(reference.series).lower()}",
        t("context.chart_title", lang, reference=label),
        page.state("context"),
        notes,
    )
    values = data.public_query(snapshot, "reference_values", series=reference.series)
    st.info(why, icon=":material/info:")
    show(charts.beside_reference(ctx, chart, network, values, label))
if references.empty:
    st.info(t("context.no_reference", lang))
page.footer(ctx)
