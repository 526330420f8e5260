"""Accounts (coordinator, admin): who may sign in, with which role and organisation.

Read-only for now; adding, disabling and resetting accounts from the dashboard
comes with the organisations and users pages (python -m etl users does it today).
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import auth
from dashboard.state import lang
from etl import accounts
from etl.config import get_settings
from etl.i18n import format_date, t

language = lang()
caller = auth.require_page(*auth.STAFF)
st.title(t("users.title", language))
st.write(t("users.intro", language))

users = accounts.list_users(get_settings(), caller)  # checks the caller's role again itself
now = accounts.utcnow()


def _state(account: accounts.Account) -> str:
    if account.disabled:
        return t("accounts.state.disabled", language)
    return t("accounts.state.locked" if account.is_locked(now) else "accounts.state.active", language)


columns = ("username", "name", "email", "role", "org", "state", "last_login")
table = pd.DataFrame(
    [
        (
            a.username,
            a.display_name,
            a.email or "",
            t(f"accounts.roles.{a.role.value}", language),
            a.org_code or "",
            _state(a),
            format_date(a.last_login_at, language) if a.last_login_at else t("users.never", language),
        )
        for a in users
    ],
    columns=[t(f"accounts.cli.column_{c}", language) for c in columns],
)
st.dataframe(table, hide_index=True, width="stretch")
