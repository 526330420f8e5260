"""Overview: new clients in the network per year, who reported, and what the figures are."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import data, gate, theme
from dashboard.components.chart import render_chart
from dashboard.figure_spec import FigureSpec
from dashboard.figures.overview import new_clients_by_year, new_clients_summary
from dashboard.state import lang
from etl.i18n import t

language = lang()
st.title(t("overview.title", language))

# Query
snapshot = data.current_snapshot()
if snapshot is None:
    st.info(t("common.no_data_yet", language))
    st.stop()
meta = data.public_query(snapshot, "snapshot_meta").iloc[0]
if meta["dataset"] == "synthetic-demo":
    st.warning(t("common.synthetic_banner", language), icon=":material/science:")
yearly = gate.network(snapshot, gate.View("PERS_NEW"))
yearly["display"] = gate.display(yearly, language)
notes = data.public_query(snapshot, "period_notes")
breaks = notes[(notes["kind"] == "break") & notes["measure"].isna()]
breaks = pd.DataFrame({"year": breaks["year"], "label": breaks[f"label_{language}"]})

# Headline
if not yearly.empty:
    latest = yearly.iloc[-1]
    st.metric(
        t("overview.metric_latest", language, year=str(int(latest["year"]))),
        latest["display"],
        help=t("overview.metric_help", language, count=int(latest["members"])),
    )

# Figure, with the table of the same numbers
table = pd.DataFrame(
    {
        t("common.year", language): yearly["year"].astype(str),
        t("overview.new_clients", language): yearly["display"],
        t("overview.members_reported", language): [theme.format_int(int(m), language) for m in yearly["members"]],
    }
)
render_chart(
    FigureSpec(
        figure_id="overview.new_clients_by_year",
        title=t("overview.chart_title", language),
        subtitle=t("overview.new_clients", language),
        figure=new_clients_by_year(yearly, breaks, language),
        table=table,
        summary=new_clients_summary(yearly, language),
        snapshot=snapshot,
        lang=language,
        notes=[t("common.caveat", language)]
        + [t("overview.break_note", language, label=b) for b in breaks["label"]]
        + [note for note in [gate.legend(yearly, language)] if note],  # every output with a hidden cell
        view={"page": "overview", "lang": language},
    )
)
st.caption(
    t(
        "common.data_version",
        language,
        version=str(snapshot.version),
        date=theme.format_date(snapshot.published_at, language),
    )
)
