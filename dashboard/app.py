"""Tilannekuva: the situation overview of human trafficking in Finland (Streamlit entry point)."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from dashboard import auth, navigation
from dashboard.components.streamlit_words import streamlit_words
from dashboard.state import language_switch
from etl.config import get_settings
from etl.logs import configure as configure_logging

# A local image: a Material icon as the page icon makes every visitor's browser ask fonts.gstatic.com for it
ICON = Path(__file__).parent / "assets" / "favicon.png"
st.set_page_config(page_title="Tilannekuva", page_icon=ICON, layout="wide")
configure_logging(get_settings())  # tracebacks go to data/logs, people see plain messages
lang = language_switch()  # before sign-in too
# Streamlit writes <html lang="en"> and its own words in English whatever the language; screen readers
# read the page by that attribute. One constant script per language sets both.
streamlit_words(lang)
auth.sso_sign_in_if_configured()
caller = auth.current_caller()
auth.follow_session_route()  # just signed in or out: the browser sets or clears its session cookie
auth.sidebar_account(caller, lang)
navigation.run(navigation.PAGES, caller, lang)
auth.flush_audit_log()  # a sign-in's audit rows, beside its first page: nobody waits for the writer
