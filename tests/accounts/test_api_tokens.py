"""Access tokens for the open data interface: staff issue and revoke them on the Users page, each audited."""

from __future__ import annotations

import sqlite3

import pytest

from etl.errors import InputError
from etl.i18n import t
from etl.services import api_tokens
from etl.services.access import AccessDenied, Caller, Role
from tests.accounts.helpers import audit_rows, users_page
from tests.signin import make_account

STAFF = Caller("test-coordinator", Role.COORDINATOR)


def test_a_token_opens_until_revoked_and_only_its_hash_is_kept(tiny_settings):
    make_account(tiny_settings, Role.COORDINATOR)
    made, token = api_tokens.issue(tiny_settings, STAFF, "Researcher A, University of Turku")
    assert token.startswith(api_tokens.PREFIX) and api_tokens.valid(tiny_settings, token)
    stored = sqlite3.connect(tiny_settings.accounts_path).execute("SELECT * FROM api_token").fetchall()
    assert not any(token in str(value) for row in stored for value in row)
    assert not api_tokens.valid(tiny_settings, token[:-1] + "x") and not api_tokens.valid(tiny_settings, "")
    api_tokens.revoke(tiny_settings, STAFF, made.id)
    assert not api_tokens.valid(tiny_settings, token)
    (listed,) = api_tokens.list_tokens(tiny_settings, STAFF)
    assert listed.revoked_at is not None and listed.last_used_at is not None
    assert audit_rows(tiny_settings, "api_token_issue", "api_token_revoke") == [
        ("test-coordinator", "api_token_issue", "ok"),
        ("test-coordinator", "api_token_revoke", "ok"),
    ]


def test_only_staff_issue_tokens_and_a_token_needs_a_name(tiny_settings):
    with pytest.raises(AccessDenied):
        api_tokens.issue(tiny_settings, Caller("m", Role.MEMBER, "alfa"), "mine")
    with pytest.raises(InputError):
        api_tokens.issue(tiny_settings, STAFF, "   ")


def test_the_users_page_issues_a_token_once_and_revokes_it(tiny_settings):
    at = users_page(tiny_settings)
    at.text_input(key="token_label").input("Researcher A")
    at.button[[b.label for b in at.button].index(t("workspace.users.token_issue", "en"))].click().run()
    (issued,) = [s.value for s in at.success if "Researcher A" in s.value]
    token = issued.rsplit("`", 2)[1]
    assert api_tokens.valid(tiny_settings, token)
    at.run()
    assert not any(token in s.value for s in at.success)  # shown once
    at.selectbox(key="token_revoke_id").select(api_tokens.list_tokens(tiny_settings, STAFF)[0].id)
    at.button[[b.label for b in at.button].index(t("workspace.users.token_revoke", "en"))].click().run()
    assert not api_tokens.valid(tiny_settings, token)
