"""A prepared warehouse for the contribution tests: three members and one published file."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from etl.config import Settings
from etl.warehouse import load, organisations
from etl.warehouse.writer import writer
from tests.helpers import use_data_dir

MEMBERS = [
    ("testi", date(2016, 1, 1), None),
    ("toinen", date(2016, 1, 1), None),
    ("lopettanut", date(2016, 1, 1), date(2019, 12, 31)),
]
# Published before each test, so that "unchanged" has something to keep.
PUBLISHED = (
    b"organisation;period;measure;exploitation_form;sex;value;flag\n"
    b"toinen;2023;PERS_NEW;;;20;\n"
    b"toinen;2023;PERS_NEW;LAB;;15;\n"
    b"toinen;2023;PERS_NEW;SEX;;5;\n"
)


def add_members(settings: Settings) -> None:
    with writer(settings) as con:
        for code, since, until in MEMBERS:
            org = organisations.Organisation(code, f"{code} ry", f"{code} rf", code, "VICTIM_SUPPORT", since, until)
            organisations.add(con, org, actor="test")


@pytest.fixture(scope="session")
def prepared_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data_dir = tmp_path_factory.mktemp("prepared") / "data"
    settings = Settings(data_dir=data_dir)
    add_members(settings)
    result = load.load_bytes(PUBLISHED, "toinen-2023.csv", "test", settings, publish_now=True)
    assert result.outcome == "loaded" and result.published_version == 1
    return data_dir


@pytest.fixture
def prepared(prepared_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Settings]:
    """A private copy of the prepared warehouse."""
    yield use_data_dir(tmp_path / "data", monkeypatch, copy_of=prepared_dir)
