"""The suite's own settings that keep a full run inside a CI machine's disk."""

import tomllib

from etl.config import PROJECT_ROOT


def _pytest_ini() -> dict:
    with open(PROJECT_ROOT / "pyproject.toml", "rb") as handle:
        return tomllib.load(handle)["tool"]["pytest"]["ini_options"]


def test_a_passed_tests_temporary_folder_is_removed():
    # A full run copies the 80 MB demo warehouse hundreds of times; keeping them filled CI's disk.
    ini = _pytest_ini()
    assert ini["tmp_path_retention_policy"] == "failed"
    assert ini["tmp_path_retention_count"] == 1
