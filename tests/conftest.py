"""Shared fixtures: a private data folder per test, and the demo data built once per session."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from etl.config import Settings
from tests.helpers import built_once, use_data_dir


@pytest.fixture
def settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """Settings pointing at an empty data folder of this test's own."""
    return use_data_dir(tmp_path / "data", monkeypatch)


@pytest.fixture(scope="session")
def demo_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo data, built once per run through the real load path; treat it as read-only."""
    from etl.demo.build import build_demo

    return built_once(tmp_path_factory, "demo", lambda data_dir: build_demo(Settings(data_dir=data_dir)))


@pytest.fixture
def demo_settings(demo_data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Settings]:
    """A private copy of the demo data that a test may change."""
    yield use_data_dir(tmp_path / "data", monkeypatch, copy_of=demo_data_dir)


@pytest.fixture(scope="session")
def demo_with_accounts_dir(demo_data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo data with the accounts test-member (demo-tuki), test-reporter (demo-tyo), test-coordinator
    and test-admin; built once, treat it as read-only."""
    from etl.services.access import Role
    from tests.signin import make_account

    def build(data_dir: Path) -> None:
        shutil.copytree(demo_data_dir, data_dir)
        roles = [(Role.MEMBER, "demo-tuki"), (Role.REPORTER, "demo-tyo"), (Role.COORDINATOR, None), (Role.ADMIN, None)]
        for role, org in roles:
            make_account(Settings(data_dir=data_dir), role, org)

    return built_once(tmp_path_factory, "accounts-demo", build)


@pytest.fixture
def demo_with_accounts(demo_with_accounts_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """A private copy of `demo_with_accounts_dir` that a test may change, with default settings."""
    return use_data_dir(tmp_path / "data", monkeypatch, copy_of=demo_with_accounts_dir)


@pytest.fixture(scope="session")
def tiny_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tiny warehouse of tests/tiny.py, built once per run; treat it as read-only."""
    from tests.tiny import build_tiny

    return built_once(tmp_path_factory, "tiny", build_tiny)


@pytest.fixture
def tiny_settings(tiny_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """A private copy of the tiny warehouse that a test may change, with default settings."""
    return use_data_dir(tmp_path / "data", monkeypatch, copy_of=tiny_dir)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The order work is handed out in (make test runs with --no-loadscope-reorder).

    Building the demo takes about a minute and a half on one core, and every test that needs it
    waits for that. So the largest module that needs the demo goes first (its worker builds the
    demo), then the modules that do not need it (the other workers run them meanwhile), then the
    rest; within each part, modules with more tests first, as xdist orders them by default.
    """
    modules: dict[Path, list[pytest.Item]] = {}
    for item in items:
        modules.setdefault(item.path, []).append(item)
    demo = {
        path: any("demo_data_dir" in getattr(item, "fixturenames", ()) for item in module)
        for path, module in modules.items()
    }
    by_size = sorted(modules, key=lambda path: -len(modules[path]))  # stable: ties keep their order
    first = [path for path in by_size if demo[path]][:1]
    rest = [path for path in by_size if not demo[path]] + [path for path in by_size if demo[path]][1:]
    items[:] = [item for path in first + rest for item in modules[path]]
