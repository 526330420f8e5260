"""The suite's own settings that keep a full run inside a CI machine's disk."""

import itertools
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


def test_one_demo_module_then_the_tests_that_need_no_demo_then_the_rest(request):
    """So one worker builds the demo while the other runs tests that need none (tests/conftest.py)."""
    from tests.conftest import module_of, needs_the_demo

    items = request.session.items  # this run's, in the order the hook left them
    demo = [needs_the_demo(item) for item in items]
    if True in demo:
        first = module_of(items[demo.index(True)])
        leading = sum(1 for _ in itertools.takewhile(lambda item: module_of(item) == first, items))
        assert leading == sum(module_of(item) == first for item in items)  # that module, whole, at the start
        rest = demo[leading:]
        assert rest == sorted(rest)  # then every test that needs no demo
