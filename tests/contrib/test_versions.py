"""Loads and versions: one transaction, new versions per changed (organisation, period), one audit row each."""

from __future__ import annotations

import json

from etl.publish import snapshots
from etl.publish.versions import publish_drafts
from etl.warehouse import load
from etl.warehouse.writer import writer
from tests.helpers import table_rows

HEADER = "organisation;period;measure;exploitation_form;sex;value;flag\n"


def _csv(*rows: str) -> bytes:
    return (HEADER + "".join(row + "\n" for row in rows)).encode()


TWO_PAIRS = _csv(
    "testi;2024H1;PERS_NEW;;;12;",
    "testi;2024H1;PERS_NEW;LAB;;9;",
    "testi;2024H1;PERS_NEW;SEX;;3;",
    "toinen;2024H1;PERS_NEW;;;4;",
)
CORRECTED = _csv(
    "testi;2024H1;PERS_NEW;;;12;",
    "testi;2024H1;PERS_NEW;LAB;;9;",
    "testi;2024H1;PERS_NEW;SEX;;3;",
    "toinen;2024H1;PERS_NEW;;;5;R",
)


def _submissions(settings) -> list[tuple]:
    with writer(settings) as con:
        return con.execute(
            "SELECT org_code, period, version, status, published_version, ended_version, row_count "
            "FROM submission ORDER BY org_code, period, version"
        ).fetchall()


def _audit(settings) -> list[tuple]:
    with writer(settings) as con:
        return con.execute("SELECT action, outcome, detail::TEXT FROM audit_log ORDER BY id").fetchall()


def _published(settings) -> list[tuple]:
    with snapshots.open_snapshot(snapshots.current(settings).path) as con:
        return con.execute(
            "SELECT org_code, period, measure, code1, value, flag FROM fact_reported ORDER BY ALL"
        ).fetchall()


def test_a_file_becomes_one_draft_version_per_organisation_and_period(prepared):
    result = load.load_bytes(TWO_PAIRS, "kaksi.csv", "tester", prepared)
    assert result.outcome == "loaded"
    assert [(s["org_code"], s["period"], s["version"], s["rows"]) for s in result.submissions] == [
        ("testi", "2024H1", 1, 3),
        ("toinen", "2024H1", 1, 1),
    ]
    assert (prepared.raw_dir / f"{result.sha256}.csv").read_bytes() == TWO_PAIRS
    action, outcome, detail = _audit(prepared)[-1]
    recorded = json.loads(detail)
    assert (action, outcome, recorded["rows"], recorded["errors"], recorded["raw_kept"]) == (
        "load",
        "loaded",
        4,
        0,
        True,
    )
    assert recorded["submissions"] == result.submissions
    assert snapshots.current(prepared).version == 1  # drafts until published


def test_the_same_file_again_changes_nothing_and_says_so(prepared):
    load.load_bytes(TWO_PAIRS, "kaksi.csv", "tester", prepared, publish_now=True)
    before = {t: table_rows_of(prepared, t) for t in ("submission", "fact", "data_version", "raw_file")}
    again = load.load_bytes(TWO_PAIRS, "kaksi-uudestaan.csv", "tester", prepared, publish_now=True)
    assert again.outcome == "unchanged"
    assert again.unchanged == [("testi", "2024H1"), ("toinen", "2024H1")]
    assert again.submissions == [] and again.published_version is None
    assert {t: table_rows_of(prepared, t) for t in before} == before
    assert [(a, o) for a, o, _ in _audit(prepared)[-1:]] == [("load", "unchanged")]


def table_rows_of(settings, table: str) -> list[tuple]:
    with writer(settings) as con:
        return table_rows(con, table)


def test_a_corrected_file_changes_only_its_organisation_and_period(prepared):
    load.load_bytes(TWO_PAIRS, "kaksi.csv", "tester", prepared, publish_now=True)
    before = _published(prepared)
    corrected = load.load_bytes(CORRECTED, "korjattu.csv", "tester", prepared, publish_now=True)
    assert corrected.outcome == "loaded"
    assert [(s["org_code"], s["period"], s["version"]) for s in corrected.submissions] == [("toinen", "2024H1", 2)]
    assert corrected.unchanged == [("testi", "2024H1")]
    after = _published(prepared)
    assert [r for r in after if r[:2] != ("toinen", "2024H1")] == [r for r in before if r[:2] != ("toinen", "2024H1")]
    assert [r for r in after if r[:2] == ("toinen", "2024H1")] == [("toinen", "2024H1", "PERS_NEW", "_T", 5, "R")]
    assert _submissions(prepared) == [
        ("testi", "2024H1", 1, "published", 2, None, 3),
        ("toinen", "2023", 1, "published", 1, None, 3),
        ("toinen", "2024H1", 1, "superseded", 2, 3, 1),
        ("toinen", "2024H1", 2, "published", 3, None, 1),
    ]


def test_a_dry_run_checks_and_changes_nothing_but_the_audit_log(prepared):
    before = {t: table_rows_of(prepared, t) for t in ("submission", "fact", "raw_file")}
    raw_before = sorted(prepared.raw_dir.iterdir())
    result = load.load_bytes(TWO_PAIRS, "kokeilu.csv", "tester", prepared, dry_run=True)
    assert result.outcome == "checked" and result.rows == 4 and not result.raw_kept
    assert {t: table_rows_of(prepared, t) for t in before} == before
    assert sorted(prepared.raw_dir.iterdir()) == raw_before
    action, outcome, detail = _audit(prepared)[-1]
    assert (action, outcome, json.loads(detail)["dry_run"]) == ("load", "checked", True)


def test_warnings_do_not_block_and_are_recorded(prepared):
    # toinen had 20 new clients in 2023 (the prepared warehouse); 2024 with 40 is +100 % and +20.
    result = load.load_bytes(_csv("toinen;2024;PERS_NEW;;;40;"), "kasvu.csv", "tester", prepared)
    assert result.outcome == "loaded"
    assert [(p.code, p.severity, p.params) for p in result.problems] == [
        ("change_from_previous_year", "warning", {"previous": 20, "previous_period": "2023"})
    ]
    assert json.loads(_audit(prepared)[-1][2])["warnings"] == 1


def test_publish_at_once_makes_a_new_data_version(prepared):
    result = load.load_bytes(TWO_PAIRS, "kaksi.csv", "tester", prepared, publish_now=True)
    assert result.published_version == 2
    assert ("testi", "2024H1", "PERS_NEW", "LAB", 9, None) in _published(prepared)
    assert [(a, o) for a, o, _ in _audit(prepared)[-2:]] == [("load", "loaded"), ("publish", "ok")]


def test_publishing_an_unchanged_draft_with_the_same_file_again(prepared):
    load.load_bytes(TWO_PAIRS, "kaksi.csv", "tester", prepared)
    again = load.load_bytes(TWO_PAIRS, "kaksi.csv", "tester", prepared, publish_now=True)
    assert again.outcome == "unchanged" and again.published_version == 2


def test_a_failure_inside_the_transaction_leaves_nothing_half_done(prepared, monkeypatch):
    import pytest

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    before = {t: table_rows_of(prepared, t) for t in ("submission", "fact", "raw_file", "audit_log")}
    monkeypatch.setattr(load, "insert_submissions", broken)
    with pytest.raises(RuntimeError):
        load.load_bytes(TWO_PAIRS, "kaksi.csv", "tester", prepared)
    assert {t: table_rows_of(prepared, t) for t in before} == before


def test_a_busy_warehouse_spools_the_attempt_and_keeps_no_bytes(prepared):
    import pytest

    from etl.errors import BusyError
    from etl.warehouse.writer import writer_lock

    with writer_lock(prepared, "someone else"), pytest.raises(BusyError):
        load.load_bytes(TWO_PAIRS, "kiire.csv", "tester", prepared)
    assert not list(prepared.raw_dir.glob(f"{load.hashlib.sha256(TWO_PAIRS).hexdigest()}.*"))
    audit_rows = _audit(prepared)  # the next writer moves the spooled row into the log
    assert [(a, o, json.loads(d)["file_name"]) for a, o, d in audit_rows[-1:]] == [("load", "busy", "kiire.csv")]


def test_publish_drafts_publishes_only_the_newest_draft(prepared):
    load.load_bytes(_csv("toinen;2024;PERS_NEW;;;30;"), "a.csv", "tester", prepared)
    load.load_bytes(_csv("toinen;2024;PERS_NEW;;;31;"), "b.csv", "tester", prepared)
    with writer(prepared) as con:
        assert publish_drafts(con, prepared, "tester") == 2
    assert [r for r in _submissions(prepared) if r[1] == "2024"] == [
        ("toinen", "2024", 1, "discarded", None, None, 1),
        ("toinen", "2024", 2, "published", 2, None, 1),
    ]
