"""Tilannekuva: the situation overview of human trafficking in Finland (Streamlit entry point)."""

from __future__ import annotations

import streamlit as st

from dashboard import auth, navigation
from dashboard.navigation import PageDef
from dashboard.state import language_switch
from etl.config import get_settings
from etl.logs import configure as configure_logging

# Who sees which page in the menu (each page also checks the caller itself with auth.require_page).
# Pages whose file does not exist yet are left out.
PAGES = (
    PageDef("overview.py", "nav.overview", ":material/dashboard:", "overview", auth.READERS),
    PageDef("trends.py", "nav.trends", ":material/show_chart:", "trends", auth.READERS),
    PageDef("data_download.py", "exports.dataset_page.nav", ":material/download:", "data", auth.SIGNED_IN),
    PageDef("my_organisation.py", "workspace.nav.my_org", ":material/home_work:", "my-organisation", auth.SIGNED_IN),
    PageDef("upload.py", "workspace.nav.upload", ":material/upload_file:", "upload", auth.UPLOADERS),
    PageDef("submissions.py", "workspace.nav.submissions", ":material/fact_check:", "submissions", auth.STAFF),
    PageDef("organisations.py", "workspace.nav.orgs", ":material/apartment:", "organisations", auth.STAFF),
    PageDef("users.py", "accounts.nav_users", ":material/group:", "users", auth.STAFF),
    PageDef("audit_log.py", "workspace.nav.audit", ":material/history:", "audit", auth.STAFF),
)

st.set_page_config(page_title="Tilannekuva", page_icon=":material/monitoring:", layout="wide")
configure_logging(get_settings())  # tracebacks go to data/logs, people see plain messages
lang = language_switch()  # before sign-in too
auth.sso_sign_in_if_configured()
caller = auth.current_caller()
auth.sidebar_account(caller, lang)
navigation.run(PAGES, caller, lang)
