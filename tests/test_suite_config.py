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


class _Item:
    def __init__(self, module: str, name: str, fixtures: tuple[str, ...] = ()) -> None:
        self.module, self.name, self.fixturenames = module, name, list(fixtures)


def test_modules_without_the_demo_run_first_each_whole_and_in_its_own_order():
    from tests.conftest import pytest_collection_modifyitems

    items = [
        _Item("a", "a1"),
        _Item("a", "a2", ("demo_data_dir",)),
        _Item("a", "a3"),
        _Item("b", "b1", ("tmp_path",)),
        _Item("c", "c1", ("demo_data_dir", "tmp_path")),
        _Item("d", "d1"),
    ]
    pytest_collection_modifyitems(items)  # type: ignore[arg-type]
    assert [item.name for item in items] == ["b1", "d1", "a1", "a2", "a3", "c1"]
