"""Overview: new clients in the network per year, who reported, and what the figures are."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import data, theme
from dashboard.figures.overview import new_clients_by_year
from dashboard.state import lang
from etl.config import get_settings
from etl.disclosure import display_text, protect_counts
from etl.i18n import t

language = lang()
threshold = get_settings().disclosure_threshold
st.title(t("overview.title", language))

# Query
snapshot = data.current_snapshot()
if snapshot is None:
    st.info(t("common.no_data_yet", language))
    st.stop()
meta = data.public_query(snapshot, "snapshot_meta").iloc[0]
if meta["dataset"] == "synthetic-demo":
    st.warning(t("common.synthetic_banner", language), icon=":material/science:")
yearly = protect_counts(data.public_query(snapshot, "network_new_clients_by_year"), threshold)
notes = data.public_query(snapshot, "period_notes")
breaks = notes[(notes["kind"] == "break") & notes["measure"].isna()]
breaks = pd.DataFrame({"year": breaks["year"], "label": breaks[f"label_{language}"]})

# Headline
if not yearly.empty:
    latest = yearly.iloc[-1]
    st.metric(
        t("overview.metric_latest", language, year=str(int(latest["year"]))),
        display_text(latest["value"], latest["flag"], threshold, language),
        help=t("overview.metric_help", language, count=int(latest["members"])),
    )

# Figure
st.plotly_chart(new_clients_by_year(yearly, breaks, language), width="stretch", key="overview_new_clients")
st.caption(t("common.caveat", language))
for label in breaks["label"]:
    st.caption(t("overview.break_note", language, label=label))

# Table of the same numbers
table = pd.DataFrame(
    {
        t("common.year", language): yearly["year"].astype(str),
        t("overview.new_clients", language): [
            display_text(v, f, threshold, language) for v, f in zip(yearly["value"], yearly["flag"], strict=True)
        ],
        t("overview.members_reported", language): [theme.format_int(int(m), language) for m in yearly["members"]],
    }
)
with st.expander(t("common.show_table", language)):
    st.dataframe(table, hide_index=True, width="stretch")

st.caption(
    t(
        "common.data_version",
        language,
        version=str(snapshot.version),
        date=theme.format_date(snapshot.published_at, language),
    )
)
