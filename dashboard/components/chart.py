"""Show a chart the same way everywhere: figure, summary, notes, table, downloads."""

from __future__ import annotations

import streamlit as st

from dashboard.components.downloads import download_menu
from dashboard.figure_spec import FigureSpec
from etl.i18n import t


def render_chart(spec: FigureSpec) -> None:
    """Render one FigureSpec: the chart, a text summary, its notes, the table and the export menu."""
    st.plotly_chart(spec.figure, width="stretch", key=f"chart-{spec.figure_id}")
    st.caption(spec.summary)
    for note in spec.notes:
        st.caption(note)
    with st.expander(t("common.show_table", spec.lang)):
        st.dataframe(spec.table, hide_index=True, width="stretch")
    download_menu(spec)
