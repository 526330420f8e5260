"""Sign in: user name and password (and single sign-on when configured), in fi, sv and en."""

from __future__ import annotations

import streamlit as st

from dashboard import auth
from dashboard.components.page import synthetic_banner
from dashboard.components.warm_up import warm_up
from dashboard.reading import data
from dashboard.state import lang
from etl.i18n import t
from etl.services.passwords import MAX_PASSWORD
from etl.services.signin import LoginFailed

language = lang()
st.title(t("login.title", language))
auth.show_notice(language)
synthetic_banner(data.current_snapshot(), language)
st.write(t("login.intro", language))

with st.form("login", clear_on_submit=True):  # the password does not stay in the session
    username = st.text_input(t("login.username", language), key="login_username", max_chars=64, autocomplete="username")
    password = st.text_input(
        t("login.password", language),
        key="login_password",
        type="password",
        max_chars=MAX_PASSWORD,
        autocomplete="current-password",
    )
    submitted = st.form_submit_button(t("login.submit", language), type="primary")

if submitted:
    try:
        auth.sign_in(username, password)
    except LoginFailed as failure:
        st.error(failure.message(language), icon=":material/error:")
    else:
        st.rerun()  # the menu now shows the pages of the account's role

auth.sso_controls(language)
warm_up()  # the first page after sign-in then draws at once
