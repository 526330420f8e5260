"""Fault and load tests against real processes: a private copy of the demo data per test."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest


@pytest.fixture
def data_dir(demo_data_dir: Path, tmp_path: Path) -> Path:
    """A private copy of the demo data (version 10 published) for servers and writers to share."""
    copy = tmp_path / "data"
    shutil.copytree(demo_data_dir, copy)
    return copy
