"""Tilannekuva: the situation overview of human trafficking in Finland (Streamlit entry point)."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from dashboard.state import language_switch
from etl.i18n import t

PAGES = Path(__file__).parent / "pages"

st.set_page_config(page_title="Tilannekuva", page_icon=":material/monitoring:", layout="wide")
lang = language_switch()
navigation = st.navigation(
    [
        st.Page(
            PAGES / "overview.py",
            title=t("nav.overview", lang),
            icon=":material/dashboard:",
            url_path="overview",
            default=True,
        ),
        st.Page(
            PAGES / "data_download.py",
            title=t("exports.dataset_page.nav", lang),
            icon=":material/download:",
            url_path="data",
        ),
    ]
)
navigation.run()
