"""Fixtures of the dashboard tests: the demo data for whole modules (read-only) and a tiny warehouse."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest


@pytest.fixture(scope="module")
def demo_env(demo_data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A copy of the demo data for every test of a module that only reads figures.

    A copy, because opening a page signs in, and that writes an account and audit events.
    """
    data_dir = tmp_path_factory.mktemp("pages") / "data"
    shutil.copytree(demo_data_dir, data_dir)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TILANNEKUVA_DATA_DIR", str(data_dir))
        for name in ("THRESHOLD", "LANG", "PUBLIC_MODE", "DEMO_SEED"):
            patch.delenv(f"TILANNEKUVA_{name}", raising=False)
        yield data_dir


@pytest.fixture(scope="module")
def tiny_warehouse(tiny_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the tiny warehouse (tests/tiny.py) for the tests of one module."""
    data_dir = tmp_path_factory.mktemp("tiny") / "data"
    shutil.copytree(tiny_dir, data_dir)
    return data_dir
