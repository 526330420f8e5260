"""Accounts (coordinator, admin): who may sign in, with which role and organisation; add, disable, reset;
access tokens for the open data interface; whether published figure links open for anyone.

Every change is an etl.services.accounts function that checks the caller itself (a
coordinator manages member and reporter accounts, an admin every account) and
writes one audit row. Passwords are typed twice and never shown again.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import auth
from dashboard.components.workspace import act, organisations_for, show_flash
from dashboard.state import lang
from etl.config import get_settings
from etl.errors import InputError
from etl.i18n import format_date, t
from etl.services import account_store, accounts, api_tokens, passwords, site_settings
from etl.services.access import COORDINATED, SIGNED_IN, STAFF, Role

language = lang()
caller = auth.require_page(*STAFF)
st.title(t("users.title", language))
st.write(t("users.intro", language))
show_flash()

users = accounts.list_users(get_settings(), caller)  # checks the caller's role again itself
now = account_store.utcnow()


def _state(account: account_store.Account) -> str:
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


# Changes ---------------------------------------------------------------------------

settings = get_settings()
roles = COORDINATED if caller.role == Role.COORDINATOR else SIGNED_IN
register = organisations_for(settings, caller, language)


def _same_password(first: str, second: str) -> str:
    if first != second:
        raise InputError("accounts.passwords_differ")
    return first


longest = passwords.MAX_PASSWORD
st.subheader(t("workspace.users.add_title", language))
with st.form("user_add", clear_on_submit=True):  # the password does not stay in the session
    username = st.text_input(t("accounts.cli.column_username", language), max_chars=64, key="add_username")
    display_name = st.text_input(t("accounts.cli.column_name", language), max_chars=200, key="add_name")
    email = st.text_input(t("accounts.cli.column_email", language), max_chars=254, key="add_email")
    role = st.selectbox(
        t("accounts.cli.column_role", language),
        roles,
        format_func=lambda r: t(f"accounts.roles.{r.value}", language),
        key="add_role",
    )
    org = st.selectbox(
        t("workspace.users.org", language),
        ["", *register],
        format_func=lambda c: register.get(c, t("workspace.users.no_org", language)),
        help=t("workspace.users.org_help", language),
        key="add_org",
    )
    password = st.text_input(
        t("workspace.users.password", language), type="password", max_chars=longest, key="add_password"
    )
    again = st.text_input(
        t("workspace.users.password_again", language), type="password", max_chars=longest, key="add_again"
    )
    if st.form_submit_button(t("workspace.users.add", language), type="primary"):
        act(
            lambda: accounts.add_user(
                settings,
                caller,
                username=username,
                password=_same_password(password, again),
                role=Role(role),
                org_code=org or None,
                display_name=display_name,
                email=email or None,
            ),
            lambda added: t("accounts.cli.added", language, username=added.username, role=added.role.value),
            language,
        )

if users:
    st.subheader(t("workspace.users.change_title", language))
    names = [a.username for a in users]
    with st.form("user_change", clear_on_submit=True):
        who = st.selectbox(t("accounts.cli.column_username", language), names, key="change_username")
        what = st.radio(
            t("workspace.users.action", language),
            ["disable", "enable", "reset"],
            format_func=lambda a: t(f"workspace.users.action_{a}", language),
            horizontal=True,
            key="change_action",
        )
        new_password = st.text_input(
            t("workspace.users.new_password", language), type="password", max_chars=longest, key="change_password"
        )
        new_again = st.text_input(
            t("workspace.users.password_again", language), type="password", max_chars=longest, key="change_again"
        )
        if st.form_submit_button(t("workspace.users.apply", language)):
            target = str(who)
            if what == "disable":
                act(
                    lambda: accounts.disable_user(settings, caller, target),
                    lambda _: t("accounts.cli.disabled", language, username=target),
                    language,
                )
            elif what == "enable":
                act(
                    lambda: accounts.enable_user(settings, caller, target),
                    lambda _: t("accounts.cli.enabled", language, username=target),
                    language,
                )
            else:
                act(
                    lambda: accounts.reset_password(settings, caller, target, _same_password(new_password, new_again)),
                    lambda _: t("accounts.cli.reset", language, username=target),
                    language,
                )


# Access tokens for the open data interface (docs/api.md) ------------------------------

st.subheader(t("workspace.users.tokens_title", language))
st.caption(t("workspace.users.tokens_intro", language))
tokens = api_tokens.list_tokens(settings, caller)
if tokens:
    token_columns = ("id", "label", "by", "at", "state", "used")
    st.dataframe(
        pd.DataFrame(
            [
                (
                    token.id,
                    token.label,
                    token.created_by,
                    format_date(token.created_at, language),
                    t(f"workspace.users.token_{'revoked_state' if token.revoked_at else 'active'}", language),
                    format_date(token.last_used_at, language)
                    if token.last_used_at
                    else t("workspace.users.token_never", language),
                )
                for token in tokens
            ],
            columns=[t(f"workspace.users.token_col_{c}", language) for c in token_columns],
        ),
        hide_index=True,
        width="stretch",
    )
with st.form("token_issue", clear_on_submit=True):
    label = st.text_input(t("workspace.users.token_label", language), max_chars=100, key="token_label")
    if st.form_submit_button(t("workspace.users.token_issue", language)):
        act(
            lambda: api_tokens.issue(settings, caller, label),
            lambda made: t("workspace.users.token_issued", language, label=made[0].label, token=made[1]),
            language,
        )
in_use = {token.id: token.label for token in tokens if token.revoked_at is None}
if in_use:
    with st.form("token_revoke"):
        chosen = st.selectbox(
            t("workspace.users.token_choose", language),
            list(in_use),
            format_func=lambda token_id: f"{token_id} ({in_use[token_id]})",
            key="token_revoke_id",
        )
        if st.form_submit_button(t("workspace.users.token_revoke", language)):
            act(
                lambda: api_tokens.revoke(settings, caller, str(chosen)),
                lambda _: t("workspace.users.token_revoked", language, token=str(chosen)),
                language,
            )

# Published figure links (docs/figure-links.md) -----------------------------------------

st.subheader(t("workspace.users.links_title", language))
st.caption(t("workspace.users.links_intro", language))
links_on = site_settings.public_figure_links(settings)
with st.form("figure_links"):
    wanted = st.toggle(t("workspace.users.links_toggle", language), value=links_on, key="figure_links_on")
    if st.form_submit_button(t("workspace.users.links_save", language)) and wanted != links_on:
        act(
            lambda: site_settings.set_public_figure_links(settings, caller, wanted),
            lambda _: t(f"workspace.users.links_{'on' if wanted else 'off'}", language),
            language,
        )
