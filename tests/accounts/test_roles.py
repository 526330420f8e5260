"""Account rules and the role checks every account action makes itself."""

import pytest

from etl.errors import InputError, NotFoundError
from etl.services import account_store, accounts
from etl.services.access import AccessDenied, Caller, Role
from tests.signin import PASSWORD

ADMIN = Caller("boss", Role.ADMIN)
COORDINATOR = Caller("koordinaattori", Role.COORDINATOR)
MEMBER = Caller("jasen", Role.MEMBER, "demo-tuki")


def _add(settings, caller=ADMIN, **fields):
    values = {"username": "uusi", "password": PASSWORD, "role": "member", "org_code": "demo-tuki"} | fields
    return accounts.add_user(settings, caller, **values)


def test_members_and_reporters_belong_to_an_organisation_of_the_register(demo_settings):
    account = _add(demo_settings, email="Uusi@Example.FI ", display_name=" Uusi Jäsen ")
    assert (account.role, account.org_code, account.email, account.display_name) == (
        Role.MEMBER,
        "demo-tuki",
        "uusi@example.fi",
        "Uusi Jäsen",
    )
    assert account.caller() == Caller("uusi", Role.MEMBER, "demo-tuki")
    with pytest.raises(InputError) as missing:
        _add(demo_settings, username="toinen", role="reporter", org_code=None)
    assert missing.value.key == "accounts.org_required"
    with pytest.raises(InputError) as unknown:
        _add(demo_settings, username="toinen", org_code="ei-ole")
    assert unknown.value.key == "accounts.unknown_org"
    with pytest.raises(InputError) as staff:
        _add(demo_settings, username="toinen", role="coordinator")
    assert staff.value.key == "accounts.org_not_for_role"


def test_an_organisation_added_since_the_last_publication_counts(demo_settings):
    from datetime import date

    from etl.warehouse import organisations
    from etl.warehouse.writer import writer

    with writer(demo_settings) as con:
        organisations.add(
            con, organisations.Organisation("uusi-jasen", "Uusi", "Ny", "New", "LEGAL", date(2026, 1, 1)), "test"
        )
    assert _add(demo_settings, org_code="uusi-jasen").org_code == "uusi-jasen"


@pytest.mark.parametrize(
    ("fields", "key"),
    [
        ({"username": "Ä"}, "accounts.bad_username"),
        ({"username": "a b"}, "accounts.bad_username"),
        ({"role": "public", "org_code": None}, "accounts.bad_role"),
        ({"role": "superuser"}, "accounts.bad_role"),
        ({"email": "not-an-address"}, "accounts.bad_email"),
    ],
)
def test_bad_account_fields_are_refused(demo_settings, fields, key):
    with pytest.raises(InputError) as refused:
        _add(demo_settings, **fields)
    assert refused.value.key == key


def test_user_names_and_e_mails_are_unique(demo_settings):
    _add(demo_settings, email="sama@example.fi")
    with pytest.raises(InputError) as twice:
        _add(demo_settings, username="UUSI")
    assert twice.value.key == "accounts.exists"
    with pytest.raises(InputError) as same_email:
        _add(demo_settings, username="toinen", email="SAMA@example.fi")
    assert same_email.value.key == "accounts.email_taken"


def test_a_member_cannot_call_any_account_action(demo_settings):
    _add(demo_settings)
    actions = [
        lambda: _add(demo_settings, caller=MEMBER, username="toinen"),
        lambda: accounts.disable_user(demo_settings, MEMBER, "uusi"),
        lambda: accounts.enable_user(demo_settings, MEMBER, "uusi"),
        lambda: accounts.reset_password(demo_settings, MEMBER, "uusi", "another long password"),
        lambda: accounts.list_users(demo_settings, MEMBER),
        lambda: accounts.list_users(demo_settings, None),
        lambda: _add(demo_settings, caller=Caller("public", Role.PUBLIC), username="toinen"),
    ]
    for action in actions:
        with pytest.raises(AccessDenied):
            action()
    assert [a.username for a in accounts.list_users(demo_settings, ADMIN)] == ["uusi"]
    assert account_store.get_account(demo_settings, "uusi").disabled is False


def test_a_coordinator_manages_member_accounts_but_not_staff_accounts(demo_settings):
    _add(demo_settings, caller=COORDINATOR)
    accounts.disable_user(demo_settings, COORDINATOR, "uusi")
    _add(demo_settings, username="paallikko", role="admin", org_code=None)
    with pytest.raises(AccessDenied):
        accounts.reset_password(demo_settings, COORDINATOR, "paallikko", "a takeover attempt!")
    with pytest.raises(AccessDenied):
        _add(demo_settings, caller=COORDINATOR, username="toinen", role="admin", org_code=None)
    assert [a.username for a in accounts.list_users(demo_settings, COORDINATOR)] == ["paallikko", "uusi"]


def test_changing_a_missing_account_says_so(settings):
    with pytest.raises(NotFoundError):
        accounts.disable_user(settings, ADMIN, "nobody")


def test_the_list_never_carries_a_hash(demo_settings):
    _add(demo_settings)
    (account,) = accounts.list_users(demo_settings, ADMIN)
    assert "argon2" not in repr(account)


def test_a_coordinator_adds_an_observer_who_belongs_to_no_organisation(demo_settings):
    observer = _add(demo_settings, caller=COORDINATOR, username="tutkija", role="observer", org_code=None)
    assert observer.caller() == Caller("tutkija", Role.OBSERVER, None)
    assert not observer.caller().may_see_exact("demo-tuki")
    with pytest.raises(InputError) as tied:
        _add(demo_settings, caller=COORDINATOR, username="toinen", role="observer", org_code="demo-tuki")
    assert tied.value.key == "accounts.org_not_for_role"
    accounts.disable_user(demo_settings, COORDINATOR, "tutkija")  # a coordinator manages observers too
    assert account_store.get_account(demo_settings, "tutkija").disabled
