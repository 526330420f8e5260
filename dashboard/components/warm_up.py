"""Elements nobody sees on the sign-in page, so the browser loads their code while the person types.

Streamlit's browser app fetches and compiles the code of each kind of element the first time one
is drawn: the chart library alone is megabytes. Drawn after sign-in, that took about 3 s before
the Overview's first chart on these machines; loaded on the sign-in page, the first page after
sign-in draws about as fast as a page change (docs/benchmarks.md, Sign-in). One hidden element of
each kind the reader pages draw (tests/accounts/test_login_page.py checks the list); hidden by CSS,
so neither seen, read out nor reached by Tab.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

KEY = "browser-warm-up"


def warm_up() -> None:
    """Draw one hidden element of each kind the reader pages use (their values are never read)."""
    st.html(f"<style>.st-key-{KEY} {{display: none;}}</style>")
    with st.container(key=KEY):
        st.plotly_chart(go.Figure(), key=f"{KEY}-chart", config={"staticPlot": True})
        st.dataframe(pd.DataFrame({"-": [0]}), hide_index=True)
        st.table(pd.DataFrame({"-": [0]}))  # the Methods page's static tables
        st.selectbox("-", ["-"], key=f"{KEY}-select", label_visibility="collapsed")
        st.slider("-", 0, 1, (0, 1), key=f"{KEY}-slider", label_visibility="collapsed")
        st.multiselect("-", ["-"], key=f"{KEY}-multiselect", label_visibility="collapsed")
        st.select_slider("-", ["-", "+"], key=f"{KEY}-select-slider", label_visibility="collapsed")
        st.checkbox("-", key=f"{KEY}-checkbox", label_visibility="collapsed")
        st.toggle("-", key=f"{KEY}-toggle", label_visibility="collapsed")
        st.segmented_control("-", ["-"], key=f"{KEY}-segments", label_visibility="collapsed")
        st.text_area("-", key=f"{KEY}-text", label_visibility="collapsed")
        st.code("-", language=None)
        st.metric("-", 0)
        st.button("-", key=f"{KEY}-button")
        st.download_button("-", b"", key=f"{KEY}-download")
