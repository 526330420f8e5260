"""The Organisations and Accounts pages' forms, in AppTest: each change goes through etl and writes its row."""

from datetime import date

from streamlit.testing.v1 import AppTest

from etl.i18n import t
from etl.services import account_store, site_settings
from etl.services.access import Role
from etl.warehouse import staff
from tests.signin import PASSWORD
from tests.workspace.helpers import COORDINATOR, app, audit_rows, last_audit_id, open_page

CO = COORDINATOR.username


def _submit(at: AppTest, label_key: str) -> AppTest:
    label = t(label_key, "en")
    button = next(b for b in at.button if b.label == label)
    return button.click().run()


def test_the_coordinator_adds_a_member_organisation_and_ends_a_membership(ws):
    at = open_page(app(ws, Role.COORDINATOR), "organisations")
    start = last_audit_id(ws)
    code, name_fi, name_sv, name_en = at.text_input[:4]  # the About page's contact comes after
    code.input("Bad Code!")
    name_fi.input("Uusi ry")
    name_sv.input("Ny rf")
    name_en.input("New")
    _submit(at, "workspace.orgs.add")
    assert [e.value for e in at.error] == [t("workspace.errors.bad_org_code", "en", org="bad code!")]
    assert audit_rows(ws, start) == []
    at.text_input[0].input("uusi-jasen")
    at.date_input[0].set_value(date(2026, 1, 1))
    _submit(at, "workspace.orgs.add")
    assert [s.value for s in at.success] == [t("workspace.orgs.added", "en", org="uusi-jasen")]
    register = staff.organisations(ws, COORDINATOR)
    added = register[register["code"] == "uusi-jasen"].iloc[0]
    assert (added["name_fi"], added["name_sv"], added["name_en"]) == ("Uusi ry", "Ny rf", "New")
    assert added["active_from"].date() == date(2026, 1, 1)
    member = next(s for s in at.selectbox if s.label == t("workspace.orgs.member", "en"))
    member.set_value("uusi-jasen")
    at.date_input[-1].set_value(date(2026, 6, 30))
    _submit(at, "workspace.orgs.deactivate")
    ended = t("workspace.orgs.deactivated", "en", org="uusi-jasen", date=date(2026, 6, 30))
    assert [s.value for s in at.success] == [ended]
    assert audit_rows(ws, start) == [(CO, "org_add", "ok"), (CO, "org_deactivate", "ok")]


def test_the_coordinator_chooses_what_the_about_page_lists(ws):
    at = open_page(app(ws, Role.COORDINATOR), "organisations")
    start = last_audit_id(ws)
    assert at.multiselect(key="about_listed").value == []  # nothing listed until chosen
    at.multiselect(key="about_listed").set_value(["demo-tyo", "demo-tuki"])
    at.text_input(key="about_contact").input("  jasenyys@example.fi ")
    principles = {"fi": "Ihmisarvo.", "sv": "Människovärde.", "en": "Human dignity."}
    for code, text in principles.items():
        at.text_area(key=f"about_principles_{code}").input(text)
    _submit(at, "about.edit_save")
    assert [s.value for s in at.success] == [t("about.saved", "en")]
    assert site_settings.about_page(ws) == site_settings.AboutPage(
        frozenset({"demo-tuki", "demo-tyo"}), (), "jasenyys@example.fi", principles
    )
    assert audit_rows(ws, start) == [(CO, "setting_change", "ok")] * 5  # list, contact, 3 languages; no partners
    assert sorted(at.multiselect(key="about_listed").value) == ["demo-tuki", "demo-tyo"]


def _fill_account(at: AppTest, username: str, password: str, again: str) -> None:
    at.text_input(key="add_username").input(username)
    at.text_input(key="add_password").input(password)
    at.text_input(key="add_again").input(again)
    at.selectbox(key="add_role").set_value(Role.REPORTER)
    at.selectbox(key="add_org").set_value("demo-tuki")


def test_the_coordinator_adds_and_disables_a_reporter_account(ws):
    at = open_page(app(ws, Role.COORDINATOR), "users")
    assert at.selectbox(key="add_role").options == [
        t("accounts.roles.member", "en"),
        t("accounts.roles.reporter", "en"),
        t("accounts.roles.observer", "en"),
    ]
    start = last_audit_id(ws)
    _fill_account(at, "uusi-raportoija", PASSWORD, PASSWORD + "x")
    _submit(at, "workspace.users.add")
    assert [e.value for e in at.error] == [t("accounts.passwords_differ", "en")]
    assert account_store.get_account(ws, "uusi-raportoija") is None
    _fill_account(at, "uusi-raportoija", PASSWORD, PASSWORD)
    _submit(at, "workspace.users.add")
    assert [s.value for s in at.success] == [t("accounts.cli.added", "en", username="uusi-raportoija", role="reporter")]
    made = account_store.get_account(ws, "uusi-raportoija")
    assert (made.role, made.org_code, made.disabled) == (Role.REPORTER, "demo-tuki", False)
    at.selectbox(key="change_username").set_value("uusi-raportoija")
    at.radio(key="change_action").set_value("disable")
    _submit(at, "workspace.users.apply")
    assert account_store.get_account(ws, "uusi-raportoija").disabled is True
    assert audit_rows(ws, start) == [(CO, "user_add", "ok"), (CO, "user_disable", "ok")]


def test_an_admin_may_give_every_role(ws):
    at = open_page(app(ws, Role.ADMIN), "users")
    assert at.selectbox(key="add_role").options == [t(f"accounts.roles.{r}", "en") for r in ("member", "reporter", "observer", "coordinator", "admin")]  # fmt: skip
