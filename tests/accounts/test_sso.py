"""Single sign-on: an identity-provider sign-in maps to an existing account by e-mail.

A real identity provider cannot be reached here: the mapping is a pure function,
tested on what st.user.to_dict() gives, and sign_in_sso on the real account store.
"""

from datetime import UTC, datetime

import pytest

from etl.services import account_store, accounts, signin
from etl.services.access import Caller, Role
from etl.services.signin import SsoNoAccount
from tests.accounts.helpers import audit_rows
from tests.signin import PASSWORD

T0 = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)


def _account(username, email, disabled=False):
    return account_store.Account(username, "", email, Role.MEMBER, "demo-tuki", disabled, 0, None, None, T0, T0)


KNOWN = [_account("kaisa", "kaisa@example.fi"), _account("pekka", "pekka@example.fi", disabled=True)]


@pytest.mark.parametrize(
    ("identity", "expected"),
    [
        ({"is_logged_in": True, "email": "kaisa@example.fi"}, "kaisa"),
        ({"is_logged_in": True, "email": " Kaisa@Example.FI ", "email_verified": True}, "kaisa"),
        ({"is_logged_in": True, "email": "kaisa@example.fi", "email_verified": False}, None),
        ({"is_logged_in": True, "email": "kaisa@example.fi", "email_verified": "false"}, None),
        ({"is_logged_in": False, "email": "kaisa@example.fi"}, None),
        ({"email": "kaisa@example.fi"}, None),
        ({"is_logged_in": True}, None),
        ({"is_logged_in": True, "email": ""}, None),
        ({"is_logged_in": True, "email": ["kaisa@example.fi"]}, None),
        ({"is_logged_in": True, "email": "pekka@example.fi"}, None),  # disabled
        ({"is_logged_in": True, "email": "someone@else.fi"}, None),
        ({"is_logged_in": "true", "email": "kaisa@example.fi"}, None),  # only a real True counts
    ],
)
def test_identity_to_account(identity, expected):
    found = signin.match_identity(identity, KNOWN)
    assert (found.username if found else None) == expected


def test_sign_in_with_a_known_e_mail_starts_one_audited_sign_in(settings):
    accounts.add_user(
        settings,
        Caller("boss", Role.ADMIN),
        username="kaisa",
        password=PASSWORD,
        role="admin",
        email="kaisa@example.fi",
    )
    account = signin.sign_in_sso(settings, {"is_logged_in": True, "email": "KAISA@example.fi"}, now=T0)
    assert account.caller() == Caller("kaisa", Role.ADMIN)
    assert account.last_login_at == T0
    with pytest.raises(SsoNoAccount) as missing:
        signin.sign_in_sso(settings, {"is_logged_in": True, "email": "stranger@example.fi"}, now=T0)
    assert "stranger@example.fi" in missing.value.message("fi")
    assert audit_rows(settings, "login") == [("kaisa", "login", "ok"), ("stranger@example.fi", "login", "failed")]


def test_a_password_lockout_does_not_block_single_sign_on(settings):
    accounts.add_user(
        settings,
        Caller("boss", Role.ADMIN),
        username="kaisa",
        password=PASSWORD,
        role="admin",
        email="kaisa@example.fi",
    )
    for _ in range(5):
        with pytest.raises(signin.LoginFailed):
            signin.authenticate(settings, "kaisa", "a wrong guess!", now=T0)
    assert signin.sign_in_sso(settings, {"is_logged_in": True, "email": "kaisa@example.fi"}, now=T0).username == "kaisa"


def test_without_auth_secrets_the_dashboard_offers_no_single_sign_on(demo_settings):
    from pathlib import Path

    from streamlit.testing.v1 import AppTest

    app = str(Path(__file__).resolve().parents[2] / "dashboard" / "app.py")
    at = AppTest.from_file(app, default_timeout=60).run()
    assert not at.exception
    assert [b.key for b in at.button if b.key in ("sso_login", "sso_leave")] == []
