"""The demo data with an account of every role, built once per session and copied per test."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from etl.access import Role
from etl.config import Settings, get_settings
from tests.signin import make_account

ROLES = [(Role.MEMBER, "demo-tuki"), (Role.REPORTER, "demo-tyo"), (Role.COORDINATOR, None), (Role.ADMIN, None)]


@pytest.fixture(scope="session")
def accounts_demo_dir(demo_data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    data_dir = tmp_path_factory.mktemp("accounts-demo") / "data"
    shutil.copytree(demo_data_dir, data_dir)
    for role, org in ROLES:
        make_account(Settings(data_dir=data_dir), role, org)
    return data_dir


@pytest.fixture
def loaded(accounts_demo_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """A private copy of the demo data with the accounts test-member, -reporter, -coordinator, -admin."""
    data_dir = tmp_path / "data"
    shutil.copytree(accounts_demo_dir, data_dir)
    monkeypatch.setenv("TILANNEKUVA_DATA_DIR", str(data_dir))
    for name in ("THRESHOLD", "PUBLIC_MODE", "SESSION_TIMEOUT_MINUTES"):
        monkeypatch.delenv(f"TILANNEKUVA_{name}", raising=False)
    return get_settings()
