"""Workspace tests run on the demo data with an account of every role (tests/conftest.py)."""

from __future__ import annotations

import pytest

from etl.config import Settings


@pytest.fixture
def ws(demo_with_accounts: Settings) -> Settings:
    """A private copy of the demo data with the accounts test-member (demo-tuki), test-reporter
    (demo-tyo), test-coordinator and test-admin."""
    return demo_with_accounts
