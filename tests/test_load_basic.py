"""The load path the demo and the coordinator share: drafts, publication, rejection, re-upload."""

from etl.publish import snapshots
from etl.warehouse import load
from etl.warehouse.writer import writer
from tests.helpers import add_org, long_csv, table_rows

GOOD = long_csv(["testi;2024;PERS_NEW;;;12;", "testi;2024;PERS_NEW;LAB;;9;", "testi;2024;PERS_NEW;SEX;;3;"])


def _setup(settings):
    with writer(settings) as con:
        add_org(con)


def test_a_loaded_file_is_a_draft_until_published(settings):
    _setup(settings)
    result = load.load_bytes(GOOD, "testi-2024.csv", "tester", settings)
    assert result.outcome == "loaded"
    assert result.submissions == [
        {"org_code": "testi", "period": "2024", "version": 1, "id": 1, "rows": 3, "value_sum": 24}
    ]
    assert snapshots.current(settings) is None
    assert (settings.raw_dir / f"{result.sha256}.csv").read_bytes() == GOOD
    with writer(settings) as con:
        from etl.publish.versions import publish_drafts

        assert publish_drafts(con, settings, "tester") == 1
    with snapshots.open_snapshot(snapshots.current(settings).path) as snap:
        assert snap.execute("SELECT code1, value FROM fact ORDER BY code1").fetchall() == [
            ("LAB", 9),
            ("SEX", 3),
            ("_T", 12),
        ]


def test_a_rejected_file_changes_nothing_but_the_audit_log(settings):
    _setup(settings)
    with writer(settings) as con:
        before = {t: table_rows(con, t) for t in ("submission", "fact", "raw_file")}
    bad = long_csv(["testi;2024;PERS_NEW;;;12;", "testi;2024;PERS_NEW;LAB;;<5;", "nobody;2024;PERS_NEW;;;3;"])
    result = load.load_bytes(bad, "bad.csv", "tester", settings)
    assert result.outcome == "rejected"
    assert sorted(p.code for p in result.problems) == ["suppressed_value", "unknown_organisation"]
    located = {p.code: (p.row, p.column) for p in result.problems}
    assert located == {
        "suppressed_value": (3, "value"),
        "unknown_organisation": (4, "organisation"),
    }
    with writer(settings) as con:
        assert {t: table_rows(con, t) for t in ("submission", "fact", "raw_file")} == before
        outcomes = con.execute("SELECT outcome, detail->>'file_name' FROM audit_log WHERE action = 'load'").fetchall()
    assert outcomes == [("rejected", "bad.csv")]


def test_the_same_file_again_is_a_no_op(settings):
    _setup(settings)
    assert load.load_bytes(GOOD, "a.csv", "tester", settings, publish_now=True).outcome == "loaded"
    again = load.load_bytes(GOOD, "a-again.csv", "tester", settings, publish_now=True)
    assert again.outcome == "unchanged"
    assert again.published_version is None
    assert snapshots.current(settings).version == 1
    with writer(settings) as con:
        assert con.execute("SELECT count(*) FROM submission").fetchone()[0] == 1
        assert con.execute("SELECT count(*) FROM audit_log WHERE action = 'load'").fetchone()[0] == 2
