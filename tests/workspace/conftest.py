"""Workspace tests run on the demo data with an account of every role (tests/conftest.py)."""

from __future__ import annotations

import pytest

from etl.config import Settings


@pytest.fixture
def ws(demo_with_accounts: Settings) -> Settings:
    """A private copy of the demo data with the accounts test-member (demo-tuki), test-reporter
    (demo-tyo), test-coordinator and test-admin."""
    return demo_with_accounts


@pytest.fixture
def tiny_ws(tiny_settings: Settings) -> Settings:
    """The tiny warehouse (tests/tiny.py) with demo-tuki and demo-tyo in the register and the same four
    accounts as `ws`: for tests of the workflow's steps, where the demo's size only costs time."""
    from etl.services.access import Role
    from etl.warehouse.writer import writer
    from tests.helpers import add_org
    from tests.signin import make_account

    with writer(tiny_settings) as con:
        for code in ("demo-tuki", "demo-tyo"):
            add_org(con, code)
    roles = [(Role.MEMBER, "demo-tuki"), (Role.REPORTER, "demo-tyo"), (Role.COORDINATOR, None), (Role.ADMIN, None)]
    for role, org in roles:
        make_account(tiny_settings, role, org)
    return tiny_settings
