"""Tilannekuva: the situation overview of human trafficking in Finland (Streamlit entry point)."""

from __future__ import annotations

import streamlit as st

from dashboard.navigation import PAGES
from dashboard.state import language_switch
from etl.i18n import t

st.set_page_config(page_title="Tilannekuva", page_icon=":material/monitoring:", layout="wide")
lang = language_switch()
navigation = st.navigation(
    [
        st.Page(page.path, title=t(page.title_key, lang), icon=page.icon, url_path=page.url_path, default=index == 0)
        for index, page in enumerate(PAGES)
    ]
)
navigation.run()
