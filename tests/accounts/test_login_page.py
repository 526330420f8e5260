"""AppTest: the sign-in page, the role's navigation, refusals by URL, expiry, sign-out, public mode."""

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import auth
from dashboard.navigation import OVERVIEW_PAGES
from etl.i18n import t
from etl.services import accounts
from etl.services.access import Caller, Role
from etl.warehouse import audit
from tests.accounts.helpers import audit_rows, dashboard_flushes_done
from tests.signin import PASSWORD, make_account, signed_in

DASHBOARD = Path(__file__).resolve().parents[2] / "dashboard"
APP = str(DASHBOARD / "app.py")


def _app(lang="en") -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["lang"] = lang
    return at


def _sign_in(at: AppTest, username: str, password: str) -> AppTest:
    at.text_input(key="login_username").input(username)
    at.text_input(key="login_password").input(password)
    return at.button(key="FormSubmitter:login-" + at.button[0].label).click().run()


OVERVIEW_MENU = {
    *("", "trends", "who", "forms", "pathways", "support", "context", "methods", "data", "report", "about"),
    "my-organisation",
}
MEMBER_MENU = OVERVIEW_MENU
OBSERVER_MENU = OVERVIEW_MENU - {"my-organisation"}  # the network's figures, no organisation's own
REPORTER_MENU = OVERVIEW_MENU | {"upload"}
# Staff land on the workspace home (""), so their Overview has its own address
STAFF_MENU = OVERVIEW_MENU | {"overview", "upload", "submissions", "rounds", "notes", "report-edit", "organisations"}
STAFF_MENU |= {"users", "audit"}
STAFF = (Role.COORDINATOR, Role.ADMIN)


def _menu(at: AppTest) -> set[str]:
    """URL paths of the pages the last run registered (the menu; "" is the default page)."""
    return {str(info.get("url_pathname")) for info in at._registered_pages.values()}


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_the_sign_in_page_renders_in_each_language(settings, lang):
    at = _app(lang).run()
    assert not at.exception
    assert at.title[0].value == t("login.title", lang)
    assert at.text_input(key="login_username").label == t("login.username", lang)
    assert at.text_input(key="login_password").label == t("login.password", lang)
    assert at.button[0].label == t("login.submit", lang)
    assert at.sidebar.get("button_group") or at.sidebar.get("segmented_control")  # the language switch
    assert not at.warning  # nothing published here: no demo to label


def test_nothing_but_sign_in_before_signing_in(demo_settings):
    at = _app().run()
    assert [w.value for w in at.warning] == [t("common.synthetic_banner", "en")]  # the made-up demo says so
    assert [info["script_path"].endswith("login.py") for info in at._registered_pages.values()] == [True] * len(
        at._registered_pages
    )
    # No figure: the only chart and number are the hidden warm-up's, empty and blank
    assert [(m.label, m.value) for m in at.metric] == [("-", "0")]
    assert [json.loads(chart.proto.spec)["data"] for chart in at.get("plotly_chart")] == [[]]


def _kinds(node: Any) -> set[str]:
    """The kinds of element and block in a run's tree (plotly_chart, selectbox, expander ...)."""
    children = getattr(node, "children", None)
    below = set().union(*(_kinds(child) for child in children.values())) if isinstance(children, dict) else set()
    return {str(getattr(node, "type", ""))} | below


# Drawn by the browser app's main bundle, so the sign-in page need not warm them up (a header is
# the same heading element as a subheader)
IN_MAIN_BUNDLE = {"caption", "column", "divider", "expander", "header", "subheader", "tab", "tab_container", "info"}


def test_the_sign_in_page_warms_up_every_kind_of_element_the_reader_pages_draw(demo_settings):
    login = _kinds(_app().run()._tree)
    assert {"plotly_chart", "dataframe", "selectbox", "metric", "download_button"} <= login
    for page in OVERVIEW_PAGES:  # what a member opens from the menu's first section
        at = signed_in(_app(), demo_settings, Role.MEMBER, "demo-tuki")
        at.switch_page(f"app_pages/{page.file}").run()
        assert not at.exception
        assert _kinds(at._tree) - login <= IN_MAIN_BUNDLE, page.file  # else add it to dashboard/components/warm_up.py


def test_a_sign_ins_audit_row_is_in_the_log_after_the_first_page(demo_settings):
    account = make_account(demo_settings, Role.MEMBER, "demo-tuki")
    audit_rows(demo_settings, "login")  # the spool empty before
    at = _sign_in(_app().run(), account.username, PASSWORD)
    assert at.title[0].value == t("overview.title", "en")
    dashboard_flushes_done()
    assert audit.pending(demo_settings) == []  # moved in beside the page, not by a later writer
    failed = _sign_in(_app().run(), account.username, "not the password")
    dashboard_flushes_done()
    assert failed.error and audit.pending(demo_settings) == []
    assert audit_rows(demo_settings, "login") == [(account.username, "login", r) for r in ("ok", "failed")]


@pytest.mark.parametrize("username", ["demo-nobody", "kaisa"])
def test_a_wrong_password_or_unknown_user_shows_the_generic_message(settings, username):
    make_account(settings, Role.COORDINATOR, username="kaisa")
    at = _sign_in(_app("sv").run(), username, "not the password")
    assert [e.value for e in at.error] == [t("accounts.login_failed", "sv", minutes=15)]
    assert at.title[0].value == t("login.title", "sv")
    assert auth.SESSION_KEY not in at.session_state


@pytest.mark.parametrize(
    ("role", "org", "menu"),
    [
        (Role.MEMBER, "demo-tuki", MEMBER_MENU),
        (Role.REPORTER, "demo-tuki", REPORTER_MENU),
        (Role.OBSERVER, None, OBSERVER_MENU),
        (Role.COORDINATOR, None, STAFF_MENU),
        (Role.ADMIN, None, STAFF_MENU),
    ],
)
def test_the_right_password_shows_the_roles_navigation(demo_settings, role, org, menu):
    account = make_account(demo_settings, role, org)
    at = _sign_in(_app().run(), account.username, PASSWORD)
    assert not at.exception
    landing = "workspace.home.title" if role in STAFF else "overview.title"  # staff land on what waits
    assert at.title[0].value == t(landing, "en")
    assert _menu(at) == menu  # "" is the landing page
    role_name = t(f"accounts.roles.{role.value}", "en")
    assert any(role_name in c.value for c in at.sidebar.caption)
    assert audit_rows(demo_settings, "login") == [(account.username, "login", "ok")]


def test_a_coordinator_opens_the_accounts_page(demo_settings):
    make_account(demo_settings, Role.MEMBER, "demo-tuki")
    at = signed_in(_app(), demo_settings, Role.COORDINATOR).run()
    at.switch_page("app_pages/users.py").run()
    assert not at.exception
    assert at.title[0].value == t("users.title", "en")
    table = at.dataframe[0].value
    assert sorted(table.iloc[:, 0]) == ["test-coordinator", "test-member"]
    assert not any("argon2" in str(v) for v in table.to_numpy().ravel())


def test_a_member_cannot_reach_a_staff_page_by_url(demo_settings):
    at = signed_in(_app(), demo_settings, Role.MEMBER, "demo-tuki").run()
    with pytest.raises(ValueError, match="navigation page"):
        at.switch_page("app_pages/users.py")  # not in a member's menu: the URL /users opens the Overview
    page = AppTest.from_file(str(DASHBOARD / "app_pages" / "users.py"), default_timeout=60)
    page.session_state[auth.SESSION_KEY] = at.session_state[auth.SESSION_KEY]
    page.run()  # the page file run directly (as if navigation were bypassed) refuses by itself
    assert [e.value for e in page.error] == [t("auth.not_allowed", "fi")]
    assert not page.dataframe


def test_a_role_change_takes_effect_at_the_next_click(demo_settings):
    at = signed_in(_app(), demo_settings, Role.COORDINATOR).run()
    at.switch_page("app_pages/users.py").run()
    assert at.title[0].value == t("users.title", "en")
    import sqlite3

    con = sqlite3.connect(demo_settings.accounts_path)  # demoted while signed in
    con.execute("UPDATE account SET role = 'member', org_code = 'demo-tuki' WHERE username = 'test-coordinator'")
    con.commit()
    con.close()
    at.run()
    assert at.title[0].value == t("overview.title", "en")
    assert _menu(at) == MEMBER_MENU


def test_a_disabled_account_is_signed_out_at_the_next_click(demo_settings):
    at = signed_in(_app(), demo_settings, Role.MEMBER, "demo-tuki").run()
    assert at.title[0].value == t("overview.title", "en")
    accounts.disable_user(demo_settings, Caller("boss", Role.ADMIN), "test-member")
    at.run()
    assert at.title[0].value == t("login.title", "en")


def test_an_expired_session_must_sign_in_again(demo_settings, monkeypatch):
    at = signed_in(_app(), demo_settings, Role.MEMBER, "demo-tuki").run()
    assert at.title[0].value == t("overview.title", "en")
    session = at.session_state[auth.SESSION_KEY]
    later = session.last_seen + timedelta(minutes=60, seconds=1)
    monkeypatch.setattr(auth, "now", lambda: later)  # the clock moves on past the timeout
    at.run()
    assert at.title[0].value == t("login.title", "en")
    assert [i.value for i in at.info] == [t("login.expired", "en", minutes=60)]
    assert auth.SESSION_KEY not in at.session_state


def test_activity_keeps_a_session_alive(demo_settings, monkeypatch):
    at = signed_in(_app(), demo_settings, Role.MEMBER, "demo-tuki").run()
    start = at.session_state[auth.SESSION_KEY].last_seen
    for minutes in (50, 100, 150):  # each step within the hour of the one before
        monkeypatch.setattr(auth, "now", lambda m=minutes: start + timedelta(minutes=m))
        at.run()
        assert at.title[0].value == t("overview.title", "en")


def test_expiry_follows_the_setting():
    session = auth.Session("kaisa", "password", *(2 * [auth.now()]))
    assert not auth.expired(session, session.last_seen + timedelta(minutes=30), 30)
    assert auth.expired(session, session.last_seen + timedelta(minutes=30, seconds=1), 30)


def test_sign_out_ends_the_session_with_one_audit_row(demo_settings):
    at = signed_in(_app(), demo_settings, Role.COORDINATOR).run()
    at.sidebar.button(key="sign_out").click().run()
    assert at.title[0].value == t("login.title", "en")
    assert [s.value for s in at.success] == [t("login.signed_out", "en")]
    assert audit_rows(demo_settings, "logout") == [("test-coordinator", "logout", "ok")]


def test_public_mode_shows_the_public_pages_without_sign_in(demo_settings, monkeypatch):
    monkeypatch.setenv("TILANNEKUVA_PUBLIC_MODE", "true")
    at = _app().run()
    assert not at.exception
    assert at.title[0].value == t("overview.title", "en")
    assert _menu(at) == {"", "trends", "report", "about", "login"}
    with pytest.raises(ValueError, match="navigation page"):
        at.switch_page("app_pages/users.py")
    at.switch_page("app_pages/login.py").run()
    at = _sign_in(at, make_account(demo_settings, Role.ADMIN).username, PASSWORD)
    assert _menu(at) == STAFF_MENU


def test_public_mode_is_off_by_default(demo_settings):
    assert _menu(_app().run()) == STAFF_MENU | {"workspace"}  # every address opens the sign-in page
    assert all(p["script_path"].endswith("login.py") for p in _app().run()._registered_pages.values())


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_an_observer_reads_the_network_but_no_organisations_own_figures(demo_settings, lang):
    at = signed_in(_app(lang), demo_settings, Role.OBSERVER).run()
    assert not at.exception and at.title[0].value == t("overview.title", lang)
    assert at.metric  # the network's figures
    assert any(t("accounts.roles.observer", lang) in c.value for c in at.sidebar.caption)
    assert _menu(at) == OBSERVER_MENU


def test_an_observer_cannot_reach_my_organisation_by_url(demo_settings):
    at = signed_in(_app(), demo_settings, Role.OBSERVER).run()
    with pytest.raises(ValueError, match="navigation page"):
        at.switch_page("app_pages/my_organisation.py")  # not in the menu
    page = AppTest.from_file(str(DASHBOARD / "app_pages" / "my_organisation.py"), default_timeout=60)
    page.session_state[auth.SESSION_KEY] = at.session_state[auth.SESSION_KEY]
    page.run()  # the page run directly refuses by itself (in the default language)
    assert [e.value for e in page.error] == [t("auth.not_allowed", "fi")]
    assert not page.dataframe
