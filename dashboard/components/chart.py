"""Show a chart the same way everywhere: figure, summary, notes, table, downloads."""

from __future__ import annotations

import streamlit as st

from dashboard.figure_spec import FigureSpec
from etl.i18n import t


def render_chart(spec: FigureSpec) -> None:
    """Render one FigureSpec: the chart, a text summary, its notes, the table and a download."""
    st.plotly_chart(spec.figure, width="stretch", key=f"chart-{spec.figure_id}")
    st.caption(spec.summary)
    for note in spec.notes:
        st.caption(note)
    with st.expander(t("common.show_table", spec.lang)):
        st.dataframe(spec.table, hide_index=True, width="stretch")
    # The full export menu (images, XLSX, citation, pack) comes with the exports issue.
    st.download_button(
        t("common.download_csv", spec.lang),
        data=lambda: spec.table.to_csv(index=False).encode("utf-8"),
        file_name=f"{spec.figure_id}.csv",
        mime="text/csv",
        on_click="ignore",
        key=f"csv-{spec.figure_id}",
    )
