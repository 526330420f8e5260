"""Rebuilding the warehouse from data/raw and the audit log gives identical answers."""

from __future__ import annotations

import shutil
from datetime import date

import pytest

from etl.disclosure import snapshot as disclosure_snapshot
from etl.disclosure.workers import protect_years as protect_years_in_workers
from etl.ops.rebuild import RebuildError, rebuild
from etl.publish import versions as publish
from etl.warehouse import load, organisations
from etl.warehouse.writer import writer

HEADER = "organisation;period;measure;exploitation_form;sex;value;flag\n"


def _csv(*rows: str) -> bytes:
    return (HEADER + "".join(row + "\n" for row in rows)).encode()


def _history(settings) -> None:
    """Every kind of audited step: members, loads (loaded, unchanged, rejected, dry run), publish, withdraw."""
    first = _csv("testi;2023;PERS_NEW;;;12;", "testi;2023;PERS_NEW;LAB;;9;", "testi;2023;PERS_NEW;SEX;;3;")
    load.load_bytes(first, "testi-2023.csv", "maija", settings, publish_now=True)
    load.load_bytes(first, "testi-2023-again.csv", "maija", settings)
    load.load_bytes(_csv("testi;2023;PERS_NEW;;;<5;"), "bad.csv", "maija", settings)
    load.load_bytes(_csv("testi;2024;PERS_NEW;;;7;"), "dry.csv", "maija", settings, dry_run=True)
    with writer(settings) as con:
        org = organisations.Organisation("uusi", "Uusi ry", "Ny rf", "New", "LEGAL", date(2020, 1, 1))
        organisations.add(con, org, "maija")
    load.load_bytes(_csv("uusi;2024H1;PERS_NEW;;;5;", "uusi;2024H2;PERS_NEW;;;6;P"), "uusi.csv", "maija", settings)
    with writer(settings) as con:
        publish.publish_drafts(con, settings, "pekka", note="2024 round")
    load.load_bytes(_csv("uusi;2024H2;PERS_NEW;;;7;R"), "korjaus.csv", "maija", settings, publish_now=True)
    with writer(settings) as con:
        publish.withdraw(con, settings, "pekka", "toinen", "2023", note="sent in error")
        organisations.deactivate(con, "lopettanut", date(2019, 6, 30), "pekka")


@pytest.fixture
def protected_years(monkeypatch) -> list[int]:
    """The years the disclosure engine is asked to protect (not read from the kept ones)."""
    asked: list[int] = []

    def recording(batches, *args, **kwargs):
        asked.extend(batches)
        return protect_years_in_workers(batches, *args, **kwargs)

    monkeypatch.setattr(disclosure_snapshot, "protect_years", recording)
    return asked


def test_rebuild_gives_identical_answers_from_every_table(prepared, tmp_path, protected_years):
    _history(prepared)
    protected_years.clear()  # the history's own publications
    report = rebuild(prepared, tmp_path / "rebuilt")
    assert report.differences == []
    assert report.versions == 5  # the prepared publication, the 2023 load, the round, the correction, the withdrawal
    assert report.tables >= 5 * 14
    with writer(prepared) as con:
        rows = con.execute("SELECT count(*) FROM audit_log").fetchone()[0]
    assert report.rows == rows
    assert protected_years == []  # every replayed publication read its years from the original's kept ones


def test_a_rebuild_that_protects_every_year_again_gives_identical_answers(prepared, tmp_path, protected_years):
    _history(prepared)
    shutil.rmtree(prepared.protected_years_dir)  # older than a day, or lost with the rest
    protected_years.clear()
    report = rebuild(prepared, tmp_path / "rebuilt")
    assert report.differences == [] and report.versions == 5
    assert 2023 in protected_years and 2024 in protected_years


def test_a_damaged_table_is_found(prepared, tmp_path):
    _history(prepared)
    with writer(prepared) as con:
        con.execute("UPDATE fact SET value = value + 1 WHERE measure = 'PERS_NEW' AND dim1 = '_T' AND value = 5")
    report = rebuild(prepared, tmp_path / "rebuilt")
    assert report.differences == ["warehouse.fact: 2 rows differ"]


def test_replace_puts_the_rebuilt_warehouse_in_place(prepared, tmp_path):
    _history(prepared)
    report = rebuild(prepared, tmp_path / "rebuilt", replace=True)
    assert report.identical and report.replaced_by is not None and report.replaced_by.is_file()
    result = load.load_bytes(_csv("testi;2022;PERS_NEW;;;3;"), "next.csv", "maija", prepared)
    assert result.outcome == "loaded"  # sequences moved on: the next load gets fresh ids
    with writer(prepared) as con:
        from etl.warehouse import audit

        assert audit.verify(con) == []


def test_a_missing_raw_file_stops_the_rebuild(prepared, tmp_path):
    result = load.load_bytes(_csv("testi;2022;PERS_NEW;;;3;"), "x.csv", "maija", prepared)
    (prepared.raw_dir / f"{result.sha256}.csv").unlink()
    with pytest.raises(RebuildError) as caught:
        rebuild(prepared, tmp_path / "rebuilt")
    assert caught.value.key == "rebuild.missing_raw"


def test_the_demo_rebuilds_to_identical_answers(demo_settings, tmp_path, protected_years):
    """93 loads, 10 publications, the register and the demo marker, replayed from the log.

    The demo's protected years are read from its kept ones (a year protected again would be a
    replayed input that differs); protecting every year again is the small history's test above."""
    protected_years.clear()  # the demo's build, when this test is the first to ask for it
    report = rebuild(demo_settings, tmp_path / "rebuilt")
    assert report.differences == [] and report.versions == 10
    assert protected_years == []


def test_a_row_without_what_a_rebuild_needs_is_named(prepared, tmp_path):
    from etl.warehouse import audit

    with writer(prepared) as con:
        con.execute("BEGIN TRANSACTION")
        audit.append(con, "old", "org_add", "ok", {"org": "vanha", "org_type": "LEGAL"})  # the old, short detail
        con.execute("COMMIT")
    with pytest.raises(RebuildError) as caught:
        rebuild(prepared, tmp_path / "rebuilt")
    assert caught.value.key == "rebuild.cannot_replay"
    assert caught.value.params["action"] == "org_add"
