"""Roles, twice: each role's menu and pages, refusals by URL, and every restricted etl function checks the caller."""

from datetime import date

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboard import auth
from etl.i18n import t
from etl.publish import preview, snapshots
from etl.services import workflow
from etl.services.access import PUBLIC, AccessDenied, Caller, Role
from etl.warehouse import staff
from etl.warehouse.organisations import Organisation
from tests.workspace.helpers import (
    ADMIN,
    COORDINATOR,
    DASHBOARD,
    MEMBER,
    REPORTER,
    app,
    audit_rows,
    last_audit_id,
    long_file,
    menu,
    open_page,
    warehouse_rows,
)

WORKSPACE = {
    "my-organisation",
    "upload",
    "submissions",
    "rounds",
    "notes",
    "report-edit",
    "organisations",
    "users",
    "audit",
}
SEES = {
    Role.MEMBER: {"my-organisation"},
    Role.REPORTER: {"my-organisation", "upload"},
    Role.COORDINATOR: WORKSPACE | {""},  # "": the page staff land on, the workspace home
    Role.ADMIN: WORKSPACE | {""},
}
PAGES = {
    "home": "workspace.home.title",
    "my_organisation": "workspace.my_org.title",
    "upload": "workspace.upload.title",
    "submissions": "workspace.submissions.title",
    "rounds": "rounds.title",
    "notes": "staff_notes.title",
    "report_edit": "reports.edit_title",
    "organisations": "workspace.orgs.title",
    "users": "users.title",
    "audit_log": "workspace.audit.title",
}
URL = {"home": "", "my_organisation": "my-organisation", "audit_log": "audit", "report_edit": "report-edit"}


@pytest.mark.parametrize("role", list(SEES))
def test_each_role_sees_its_workspace_pages_and_each_opens(ws, role):
    at = app(ws, role).run()
    assert menu(at) & WORKSPACE == SEES[role] - {""}
    for page, title in PAGES.items():
        if URL.get(page, page) in SEES[role]:
            open_page(at, page)
            assert at.title[0].value == t(title, "en")
            assert not at.error, [e.value for e in at.error]


def _run_page_directly(at: AppTest, page: str) -> AppTest:
    """The page file run outside the menu (as if navigation were bypassed) with `at`'s session."""
    direct = AppTest.from_file(str(DASHBOARD / "app_pages" / f"{page}.py"), default_timeout=60)
    direct.query_params["lang"] = "en"
    direct.session_state[auth.SESSION_KEY] = at.session_state[auth.SESSION_KEY]
    direct.session_state["lang"] = "en"
    return direct.run()


def test_a_member_who_opens_the_upload_page_by_url_is_refused(ws):
    at = app(ws, Role.MEMBER).run()
    with pytest.raises(ValueError, match="navigation page"):
        at.switch_page("app_pages/upload.py")  # not in a member's menu: /upload opens the Overview
    page = _run_page_directly(at, "upload")
    assert [e.value for e in page.error] == [t("auth.not_allowed", "en")]
    assert not page.file_uploader and not page.get("download_button")


@pytest.mark.parametrize(("role", "page"), [(Role.MEMBER, p) for p in PAGES if p != "my_organisation"] + [
    (Role.REPORTER, p) for p in ("submissions", "rounds", "notes", "report_edit", "organisations", "users", "audit_log")
])  # fmt: skip
def test_staff_pages_refuse_members_and_reporters_by_themselves(ws, role, page):
    page_run = _run_page_directly(app(ws, role).run(), page)
    assert [e.value for e in page_run.error] == [t("auth.not_allowed", "en")]
    assert not page_run.dataframe


CSV = long_file("demo-tuki", "2025H1", 40, 30, 10)
ORG = Organisation("uusi-jasen", "Uusi", "Ny", "New", "LEGAL", date(2026, 1, 1))


def _restricted_calls(settings, caller):
    """Every restricted etl function of the workspace, called as `caller` for demo-tuki 2025H1."""
    ref = snapshots.current(settings)
    other = "demo-tyo" if caller is not None and caller.org_code == "demo-tuki" else "demo-tuki"
    cells = pd.DataFrame(
        [("PERS_NEW", "_T", "_T", "_T", "_T", 40, None)], columns=[*preview.KEY, "value", "flag"]
    )  # fmt: skip
    return {
        "upload": lambda: workflow.upload(settings, caller, CSV, "x.csv", "demo-tuki", "2025H1"),
        "template": lambda: workflow.template_bytes(settings, caller, "demo-tuki", "2025H1", "fi", "x"),
        "publish": lambda: workflow.publish_upload(settings, caller, "demo-tuki", "2025H1"),
        "submit": lambda: workflow.submit(settings, caller, "demo-tuki", "2025H1"),
        "approve": lambda: workflow.approve(settings, caller, "demo-tuki", "2025H1"),
        "return": lambda: workflow.return_submission(settings, caller, "demo-tuki", "2025H1", "why"),
        "withdraw": lambda: workflow.withdraw(settings, caller, "demo-tuki", "2025H1"),
        "restore": lambda: workflow.restore(settings, caller, "demo-tuki", "2025H1", 1),
        "org_add": lambda: workflow.add_organisation(settings, caller, ORG),
        "org_deactivate": lambda: workflow.deactivate_organisation(settings, caller, "demo-tuki", date(2026, 1, 1)),
        "preview": lambda: preview.build(settings, caller, "demo-tuki", "2025H1", cells, 9),
        "exact": lambda: preview.exact_changes(ref, caller, "demo-tuki", "2025H1", cells),
        "audit_log": lambda: staff.audit_log(settings, caller),
        "audit_choices": lambda: staff.audit_choices(settings, caller),
        "exported_at": lambda: staff.exported_at(settings, caller),
        "refresh": lambda: workflow.refresh_read_model(settings, caller),
        "other_history": lambda: staff.submissions(settings, caller, other),
    }  # fmt: skip


WORKFLOW = ("upload", "template", "publish", "submit", "approve", "return", "withdraw", "restore", "org_add", "org_deactivate")  # fmt: skip


@pytest.mark.parametrize(
    "caller",
    [MEMBER, Caller("someone", Role.MEMBER, "demo-tyo"), PUBLIC, None],
    ids=["member", "other", "public", "none"],
)
def test_every_restricted_function_refuses_a_member_and_changes_nothing(ws, caller):
    before = warehouse_rows(ws, "SELECT (SELECT count(*) FROM submission), (SELECT max(version) FROM data_version)")
    start = last_audit_id(ws)
    refused = []
    for name, call in _restricted_calls(ws, caller).items():
        with pytest.raises(AccessDenied):
            call()
        refused.append(name)
    assert refused == list(_restricted_calls(ws, caller))
    assert (
        warehouse_rows(ws, "SELECT (SELECT count(*) FROM submission), (SELECT max(version) FROM data_version)")
        == before
    )
    actor = caller.username if caller else "anonymous"
    actions = ("load", "template", "publish", "submit", "approve", "return", "withdraw", "restore", "org_add", "org_deactivate")  # fmt: skip
    assert audit_rows(ws, start) == [(actor, a, "denied") for a in actions]  # one row per refused action, no other


def test_a_reporter_acts_for_their_own_organisation_only(ws):
    own = long_file("demo-tyo", "2025", 40, 30, 10)
    assert workflow.upload(ws, REPORTER, own, "oma.csv", "demo-tyo", "2025").ok
    for name, call in _restricted_calls(ws, REPORTER).items():  # demo-tuki: another organisation
        with pytest.raises(AccessDenied):
            call()
        assert name
    for call in (
        lambda: workflow.publish_upload(ws, REPORTER, "demo-tyo", "2025"),
        lambda: workflow.approve(ws, REPORTER, "demo-tyo", "2025"),
        lambda: workflow.withdraw(ws, REPORTER, "demo-tyo", "2025"),
        lambda: workflow.restore(ws, REPORTER, "demo-tyo", "2025", 1),
    ):
        with pytest.raises(AccessDenied):
            call()
    assert workflow.submit(ws, REPORTER, "demo-tyo", "2025")["version"] == 2
    assert set(staff.submissions(ws, REPORTER)["org_code"]) == {"demo-tyo"}  # their own history only


def test_staff_may_do_each_of_it(ws):
    for caller in (COORDINATOR, ADMIN):
        assert staff.audit_log(ws, caller).shape[0] > 0
        assert set(staff.submissions(ws, caller)["org_code"]) > {"demo-tuki", "demo-tyo"}
    with pytest.raises(AccessDenied):
        workflow.submit(ws, COORDINATOR, "demo-tuki", "2025H1")  # sending for approval is the member's step
