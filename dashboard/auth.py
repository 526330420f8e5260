"""Who is using the dashboard: signing in and out, session expiry, and each page's role check.

A session keeps only the user name and two times in st.session_state. The account
is read again from the account store on every run, so disabling an account or
changing its role takes effect at the next click, and nothing a session holds can
raise a role. Pages call `require_page(*roles)` first; restricted actions check the
caller again themselves (etl.services.access.require), so a page reached by URL cannot act.

A password sign-in also opens a browser session (etl.services.web_sessions): the page
asks /session/open once, in the background, with a one-time grant, and the route's answer
sets an HttpOnly cookie. A reload, a new tab or a pasted link then resumes the session from the
cookie (method "cookie"), checked against the store on every run, so signing out in one
tab signs the others out at their next step.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import streamlit as st

from etl.config import get_settings
from etl.i18n import t
from etl.services import account_store, signin, web_sessions
from etl.services.access import PUBLIC, Caller, Role

SESSION_KEY = "_tilannekuva_session"
NOTICE_KEY = "_tilannekuva_notice"  # a message for the sign-in page (expired, signed out, no SSO account)
SSO_TRIED_KEY = "_tilannekuva_sso_tried"  # map an identity-provider sign-in once per session, not on every run
FLUSH_KEY = "_tilannekuva_flush"  # audit rows spooled by a sign-in, moved into the log once the page is sent
FLUSH_THREAD = "audit-flush"
GO_KEY = "_tilannekuva_go"  # where the browser goes next to set or clear the session cookie (dashboard/routes.py)
COOKIE = web_sessions.COOKIE


@dataclass
class Session:
    username: str
    method: str  # "password" or "sso"
    signed_in_at: datetime
    last_seen: datetime


def now() -> datetime:
    return account_store.utcnow()


def expired(session: Session, at: datetime, timeout_minutes: int) -> bool:
    """Inactive for longer than the timeout: the person must sign in again."""
    return at - session.last_seen > timedelta(minutes=timeout_minutes)


def _notice(kind: str, key: str, **params: Any) -> None:
    st.session_state[NOTICE_KEY] = {"kind": kind, "key": key, "params": params}


def _end() -> Session | None:
    session = st.session_state.pop(SESSION_KEY, None)
    return session if isinstance(session, Session) else None


def _start(username: str, method: str) -> None:
    at = now()
    st.session_state[SESSION_KEY] = Session(username, method, at, at)
    st.session_state.pop(NOTICE_KEY, None)


def _cookie() -> str:
    """The browser session's token, as the browser sent it when this page was opened."""
    try:
        return str(st.context.cookies.get(COOKIE) or "")
    except Exception:  # no request behind this run (a bare script run)
        return ""


def _from_cookie(session: object, at: datetime) -> tuple[bool, Caller | None]:
    """(whether a browser session decides, its caller or None when it has ended)."""
    token = _cookie()
    if not token or (isinstance(session, Session) and session.method != "cookie"):
        return False, None
    account = web_sessions.resolve(get_settings(), token, at)
    if account is None:
        if isinstance(session, Session):  # ended elsewhere: signed out in another tab, disabled, reset
            _end()
            _notice("info", "login.session_ended")
        return True, None
    if isinstance(session, Session) and session.username == account.username:
        session.last_seen = at
    else:
        _start(account.username, "cookie")
    return True, account.caller()


def current_caller(at: datetime | None = None) -> Caller | None:
    """The signed-in caller; the public visitor in public mode; None when sign-in is needed."""
    settings = get_settings()
    anonymous = PUBLIC if settings.public_mode else None
    at = at or now()
    session = st.session_state.get(SESSION_KEY)
    decided, resumed = _from_cookie(session, at)
    if decided:
        return resumed or anonymous
    if not isinstance(session, Session):
        return anonymous
    if expired(session, at, settings.session_timeout_minutes):
        _end()
        st.session_state[SSO_TRIED_KEY] = True  # expiry holds for single sign-on too: sign in again by hand
        _notice("info", "login.expired", minutes=settings.session_timeout_minutes)
        return anonymous
    account = account_store.get_account(settings, session.username)
    if account is None or account.disabled:
        _end()
        return anonymous
    session.last_seen = at
    return account.caller()


def sign_in(username: str, password: str) -> Caller:
    """Check the password and start a session; raises signin.LoginFailed (one generic message)."""
    settings = get_settings()
    st.session_state[FLUSH_KEY] = True  # a failure's rows too
    account = signin.authenticate(settings, username, password, flush_log=False)
    _start(account.username, "password")
    st.session_state[GO_KEY] = "/session/open?grant=" + web_sessions.grant(settings, account.username)
    return account.caller()


def sign_out() -> None:
    """End the session (one audit row); a single sign-on session also leaves the identity provider."""
    caller = current_caller()
    session = _end()
    if caller is not None and caller.role != Role.PUBLIC:
        signin.record_sign_out(get_settings(), caller)
    _notice("success", "login.signed_out")
    token = _cookie()
    if token:  # ended in the store for every tab at once; the route then clears the cookie
        web_sessions.close(get_settings(), token)
        st.session_state[GO_KEY] = "/session/close"
    if session is not None and session.method == "sso":
        st.logout()  # removes Streamlit's identity cookie and starts a new session


def follow_session_route() -> None:
    """Ask the route that sets or clears the session cookie, once, in the background (no reload).

    A page script cannot set an HttpOnly cookie, but the browser keeps the one a same-site
    request's answer sets. Our own constant script; the grant in it is a one-time, one-minute
    token for this browser.
    """
    go = st.session_state.pop(GO_KEY, None)
    if isinstance(go, str):
        request = f"fetch({json.dumps(go)}, {{credentials: 'same-origin', cache: 'no-store'}})"
        st.sidebar.html(f"<script>{request};</script>", unsafe_allow_javascript=True)


def flush_audit_log() -> None:
    """Move a sign-in's spooled audit rows into the log, beside the page rather than before it.

    Called last in a run. Opening the writer and exporting the staff read model take about 0.3 s,
    and in the script's thread they held up the browser's drawing of the page just sent. Rows
    left in the spool (a process ending first, a busy writer) are imported by the next writer.
    """
    if st.session_state.pop(FLUSH_KEY, False):
        flushing = threading.Thread(target=account_store.flush, args=(get_settings(),), name=FLUSH_THREAD, daemon=True)
        flushing.start()


def require_page(*roles: Role) -> Caller:
    """First line of a restricted page: the caller, or a "not allowed" message and stop."""
    caller = current_caller()
    if caller is None or caller.role not in roles:
        from dashboard.state import lang

        st.error(t("auth.not_allowed", lang()), icon=":material/block:")
        st.stop()
    assert caller is not None
    return caller


def show_notice(lang: str) -> None:
    """The sign-in page shows why the person is there (once)."""
    notice = st.session_state.pop(NOTICE_KEY, None)
    if isinstance(notice, dict):
        show = {"info": st.info, "success": st.success, "error": st.error}[notice["kind"]]
        show(t(notice["key"], lang, **notice["params"]))


def sidebar_account(caller: Caller | None, lang: str) -> None:
    """Who is signed in, and the sign-out button, in the sidebar."""
    if caller is None or caller.role == Role.PUBLIC:
        return
    role = t(f"accounts.roles.{caller.role.value}", lang)
    who = f"{caller.username}, {caller.org_code}" if caller.org_code else caller.username
    st.sidebar.caption(t("auth.signed_in_as", lang, name=who, role=role))
    if st.sidebar.button(t("auth.sign_out", lang), key="sign_out", icon=":material/logout:"):
        sign_out()
        st.rerun()


# Single sign-on --------------------------------------------------------------------


def sso_configured() -> bool:
    """Is Streamlit's OIDC sign-in set up ([auth] in secrets.toml)?"""
    try:
        return bool(st.secrets.load_if_toml_exists() and "auth" in st.secrets)
    except Exception:  # an unreadable secrets file means no single sign-on, not a broken page
        return False


def _provider() -> str | None:
    """The one named provider ([auth.<name>]), or None for the unnamed default."""
    named = [key for key, value in st.secrets["auth"].items() if isinstance(value, dict)]
    return named[0] if len(named) == 1 else None


def _identity() -> dict[str, Any]:
    try:
        return dict(st.user.to_dict())
    except Exception:  # st.user raises when auth is not configured
        return {}


def sso_sign_in_if_configured() -> None:
    """Start a session for a person the identity provider signed in, mapped by e-mail (once per session)."""
    if SESSION_KEY in st.session_state or st.session_state.get(SSO_TRIED_KEY) or not sso_configured():
        return
    identity = _identity()
    if identity.get("is_logged_in") is not True:
        return
    st.session_state[SSO_TRIED_KEY] = True
    try:
        account = signin.sign_in_sso(get_settings(), identity)
    except signin.SsoNoAccount as missing:
        _notice("error", missing.key, **missing.params)
        return
    _start(account.username, "sso")


def sso_controls(lang: str) -> None:
    """On the sign-in page: sign in with the identity provider, or leave it when it gave no account."""
    if not sso_configured():
        return
    st.divider()
    if _identity().get("is_logged_in") is True:
        if st.button(t("login.sso_leave", lang), key="sso_leave"):
            st.logout()
        return
    if st.button(t("login.sso_button", lang), key="sso_login", icon=":material/badge:"):
        st.session_state.pop(SSO_TRIED_KEY, None)
        st.login(_provider())  # None: the unnamed provider of [auth]
