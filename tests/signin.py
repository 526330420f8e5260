"""Signing in for AppTest runs: a real account in the store, and a session for it."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from dashboard import auth
from etl.config import Settings
from etl.services import account_store, accounts
from etl.services.access import Caller, Role

CREATOR = Caller("test", Role.ADMIN)
PASSWORD = "correct horse battery staple"


def make_account(settings: Settings, role: Role | str, org_code: str | None = None, username: str | None = None):
    """An account of `role` (members and reporters need an organisation of the register)."""
    name = username or f"test-{Role(role).value}"
    existing = account_store.get_account(settings, name)
    if existing is not None:
        return existing
    return accounts.add_user(settings, CREATOR, username=name, password=PASSWORD, role=role, org_code=org_code)


def signed_in(
    at: AppTest, settings: Settings, role: Role | str = Role.COORDINATOR, org_code: str | None = None
) -> AppTest:
    """Put a signed-in session for a fresh account of `role` into `at` (before or between runs)."""
    account = make_account(settings, role, org_code)
    now = auth.now()
    at.session_state[auth.SESSION_KEY] = auth.Session(account.username, "password", now, now)
    return at
