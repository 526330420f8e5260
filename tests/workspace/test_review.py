"""The workspace's etl side: versions and statuses, restore, rebuild, the upload's scope, the preview's numbers."""

import json

import pandas as pd

from etl.i18n import t
from etl.ops import rebuild
from etl.publish import preview, snapshots
from etl.services import workflow
from etl.services.access import Caller, Role
from etl.warehouse import audit, staff
from etl.warehouse.writer import flush_audit
from tests.workspace.helpers import COORDINATOR, REPORTER, long_file, warehouse_rows

HISTORY = "SELECT version, status, published_version, ended_version, comment FROM submission WHERE org_code = ? AND period = ? ORDER BY version"  # fmt: skip


def _published(settings, org, period):
    with snapshots.open_snapshot(snapshots.current(settings).path) as con:
        return con.execute(
            "SELECT code1, value FROM fact_reported WHERE org_code = ? AND period = ? AND measure = 'PERS_NEW' ORDER BY ALL",
            [org, period],
        ).fetchall()


def test_submit_return_approve_withdraw_restore_keep_every_version(tiny_ws):
    ws = tiny_ws  # statuses and versions are the point (each publication on the demo takes tens of seconds)
    workflow.upload(ws, COORDINATOR, long_file("demo-tyo", "2025", 40, 30, 10), "0.csv", "demo-tyo", "2025")
    workflow.publish_upload(ws, COORDINATOR, "demo-tyo", "2025")
    first = snapshots.current(ws).version
    workflow.upload(ws, REPORTER, long_file("demo-tyo", "2025", 41, 31, 10), "a.csv", "demo-tyo", "2025")
    workflow.submit(ws, REPORTER, "demo-tyo", "2025")
    workflow.return_submission(ws, COORDINATOR, "demo-tyo", "2025", "  SEX puuttuu?  ")
    assert snapshots.current(ws).version == first  # returning changes nothing public
    workflow.upload(ws, REPORTER, long_file("demo-tyo", "2025", 42, 32, 10), "b.csv", "demo-tyo", "2025")
    workflow.submit(ws, REPORTER, "demo-tyo", "2025")
    assert workflow.approve(ws, COORDINATOR, "demo-tyo", "2025", "ok") == first + 1
    assert workflow.withdraw(ws, COORDINATOR, "demo-tyo", "2025") == first + 2
    assert _published(ws, "demo-tyo", "2025") == []
    assert workflow.restore(ws, COORDINATOR, "demo-tyo", "2025", 3) == (first + 3, 4)
    assert warehouse_rows(ws, HISTORY, ["demo-tyo", "2025"]) == [
        (1, "superseded", first, first + 1, None),
        (2, "returned", None, None, "SEX puuttuu?"),
        (3, "withdrawn", first + 1, first + 2, None),
        (4, "published", first + 3, None, None),
    ]
    assert _published(ws, "demo-tyo", "2025") == [("LAB", 32), ("SEX", 10), ("_T", 42)]  # version 3's cells
    files = warehouse_rows(ws, "SELECT version, file_sha256 FROM submission WHERE org_code = 'demo-tyo' AND period = '2025' ORDER BY version")  # fmt: skip
    assert files[3][1] == files[2][1]  # the restored version points at version 3's file


def _demo_half_year(org: str, period: str) -> bytes:
    """The demo member's rows of one half-year, as its file sends them (every table family)."""
    from etl.demo.build import demo_files

    (sent,) = [f for f in demo_files(2024) if f.name == f"{org}-{period[:4]}.csv"]
    header, *rows = sent.data.decode("utf-8").splitlines(keepends=True)
    return (header + "".join(row for row in rows if row.split(";")[1] == period)).encode("utf-8")


def test_a_restore_copies_exactly_the_chosen_versions_cells(tiny_ws):
    ws = tiny_ws  # the only member of its year: its figures are withheld, so each publication takes a second
    for name, sent in (("full.csv", _demo_half_year("demo-tuki", "2025H1")), ("a.csv", long_file("demo-tuki", "2025H1", 40, 30, 10))):  # fmt: skip
        workflow.upload(ws, COORDINATOR, sent, name, "demo-tuki", "2025H1")
        workflow.publish_upload(ws, COORDINATOR, "demo-tuki", "2025H1")
    assert _published(ws, "demo-tuki", "2025H1") == [("LAB", 30), ("SEX", 10), ("_T", 40)]
    workflow.restore(ws, COORDINATOR, "demo-tuki", "2025H1", 1)
    cells = "SELECT f.measure, f.dim1, f.code1, f.dim2, f.code2, f.value, f.flag FROM fact f JOIN submission s ON s.id = f.submission_id WHERE s.org_code = 'demo-tuki' AND s.period = '2025H1' AND s.version = ? ORDER BY ALL"  # fmt: skip
    first, restored = warehouse_rows(ws, cells, [1]), warehouse_rows(ws, cells, [3])
    assert len(first) > 100 and restored == first
    with snapshots.open_snapshot(snapshots.current(ws).path) as con:
        published = con.execute(
            "SELECT measure, dim1, code1, dim2, code2, value, flag FROM fact_reported WHERE org_code = 'demo-tuki' AND period = '2025H1' ORDER BY ALL"
        ).fetchall()  # fmt: skip
    assert published == first


def test_the_log_replays_every_decision_into_an_identical_warehouse(tiny_ws, tmp_path):
    ws = tiny_ws  # every decision, on a warehouse small enough to replay in seconds
    workflow.upload(ws, REPORTER, long_file("demo-tyo", "2025", 41, 31, 10), "a.csv", "demo-tyo", "2025")
    workflow.submit(ws, REPORTER, "demo-tyo", "2025")
    workflow.return_submission(ws, COORDINATOR, "demo-tyo", "2025", "why")
    workflow.upload(ws, REPORTER, long_file("demo-tyo", "2025", 42, 32, 10), "b.csv", "demo-tyo", "2025")
    workflow.submit(ws, REPORTER, "demo-tyo", "2025")
    workflow.approve(ws, COORDINATOR, "demo-tyo", "2025", "ok")
    workflow.withdraw(ws, COORDINATOR, "demo-tyo", "2025")
    workflow.restore(ws, COORDINATOR, "demo-tyo", "2025", 1, "back")
    report = rebuild.rebuild(ws, tmp_path / "rebuilt")
    assert report.identical, report.differences


def test_a_file_for_another_organisation_or_period_is_refused_at_its_row(ws):
    mixed = long_file("demo-tyo", "2025", 41, 31, 10) + b"demo-tuki;2025;PERS_NEW;;7\n"
    done = workflow.upload(ws, COORDINATOR, mixed, "mixed.csv", "demo-tyo", "2025")
    assert done.result.outcome == "rejected" and not done.ok
    scope = [p for p in done.problems if p.code == "outside_upload_scope"]
    assert [(p.row, p.column, p.value) for p in scope] == [(5, "organisation", "demo-tuki 2025")]
    assert scope[0].message("fi") == t(
        "problem.outside_upload_scope",
        "fi",
        org="demo-tuki",
        period="2025",
        chosen_org="demo-tyo",
        chosen_period="2025",
    )
    other_period = workflow.upload(
        ws, COORDINATOR, long_file("demo-tyo", "2024", 41, 31, 10), "x.csv", "demo-tyo", "2025"
    )
    assert [(p.code, p.row, p.column) for p in other_period.problems] == [("outside_upload_scope", 2, "period")]


def test_the_exact_preview_lists_each_cell_before_after_and_the_difference(ws):
    ref = snapshots.current(ws)
    done = workflow.upload(
        ws, COORDINATOR, long_file("demo-tuki", "2025H1", 40, 30, 10), "a.csv", "demo-tuki", "2025H1"
    )
    exact = preview.exact_changes(ref, COORDINATOR, "demo-tuki", "2025H1", done.parts["2025H1"].cells)
    published = dict(((r.measure, r.dim1, r.code1, r.dim2, r.code2), r.value) for r in preview.published_cells(ref, "demo-tuki", "2025H1").itertuples())  # fmt: skip
    assert len(exact) == len(set(published) | {("PERS_NEW", "_T", "_T", "_T", "_T")})
    total = exact[(exact["measure"] == "PERS_NEW") & (exact["dim1"] == "_T")].iloc[0]
    old = published[("PERS_NEW", "_T", "_T", "_T", "_T")]
    assert (total["before"], total["after"], total["difference"], total["changed"]) == (old, 40, 40 - old, True)
    gone = exact[exact["dim1"] == "age_group"]
    assert gone["after"].isna().all() and gone["changed"].all()  # a cell the new version lacks is a change too


# The staff read model ------------------------------------------------------------------


def test_the_read_model_is_exported_after_a_change_only_and_is_read_only(ws):
    path = staff.staff_path(ws)
    assert path.is_file() and path.stat().st_mode & 0o077 == 0
    stamp = path.stat().st_ino, path.stat().st_mtime_ns
    from etl.warehouse.writer import writer

    with writer(ws) as con:  # a session that changes nothing
        con.execute("SELECT count(*) FROM submission").fetchall()
    assert (path.stat().st_ino, path.stat().st_mtime_ns) == stamp
    workflow.upload(ws, REPORTER, long_file("demo-tyo", "2025", 41, 31, 10), "a.csv", "demo-tyo", "2025")
    assert path.stat().st_ino != stamp[0]  # a new file put in place, not the old one written over
    versions = staff.submissions(ws, COORDINATOR, "demo-tyo")
    newest = versions[versions["period"] == "2025"].iloc[0]
    assert (newest["version"], newest["status"], newest["file_name"], newest["loaded_by"]) == (
        2,
        "draft",
        "a.csv",
        "test-reporter",
    )
    with staff._open(ws) as con:
        tables = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
        assert tables == {"meta", "organisation", "raw_file", "submission", "data_version", "audit_log",
                          "period_note", "reference_series", "reference_value"}  # fmt: skip
        for attack in ("DELETE FROM audit_log", "COPY audit_log TO '/tmp/x.csv'"):
            try:
                con.execute(attack)
                raise AssertionError(attack)
            except Exception as refused:  # read-only, no file access
                assert "read-only" in str(refused).lower() or "disabled" in str(refused).lower()
    assert not list(path.parent.glob(".*.tmp*"))


def test_spooled_rows_show_as_pending_until_moved_into_the_log(ws):
    from etl.warehouse.writer import writer_lock

    with writer_lock(ws, "a long load"):
        audit.spool(ws, "someone", "login", "failed", {"reason": "wrong_password"})
        log = staff.audit_log(ws, COORDINATOR, staff.AuditFilter(actors=["someone"]))
        assert list(zip(log["action"], log["outcome"], log["pending"], strict=True)) == [("login", "failed", True)]
        assert log["id"].isna().all()
        assert "someone" in staff.audit_choices(ws, COORDINATOR)["actor"]
    flush_audit(ws)
    log = staff.audit_log(ws, COORDINATOR, staff.AuditFilter(actors=["someone"]))
    assert list(log["pending"]) == [False] and log["id"].notna().all()
    assert json.loads(log["detail"].iloc[0])["reason"] == "wrong_password"


def test_the_audit_filter_by_action_and_outcome(ws):
    everything = staff.audit_log(ws, COORDINATOR)
    loads = staff.audit_log(ws, COORDINATOR, staff.AuditFilter(actions=["load"], outcomes=["loaded"]))
    assert 0 < len(loads) < len(everything)
    assert set(loads["action"]) == {"load"} and set(loads["outcome"]) == {"loaded"}
    assert list(loads["id"]) == sorted(loads["id"], reverse=True)  # newest first
    late = pd.Timestamp.now() + pd.Timedelta(days=1)
    assert staff.audit_log(ws, COORDINATOR, staff.AuditFilter(start=late.to_pydatetime())).empty


def test_pair_states():
    rows = [
        ("a", "2025", 1, "published"), ("a", "2025", 2, "pending"),
        ("b", "2025", 1, "superseded"), ("b", "2025", 2, "published"), ("b", "2025", 3, "returned"),
        ("c", "2025", 1, "withdrawn"),
        ("d", "2025", 1, "discarded"),
        ("e", "2025", 1, "superseded"), ("e", "2025", 2, "published"), ("e", "2025", 3, "draft"), ("e", "2025", 4, "discarded"),
        ("f", "2025", 2, "published"), ("f", "2025", 1, "draft"),
    ]  # fmt: skip
    states = staff.pair_states(pd.DataFrame(rows, columns=["org_code", "period", "version", "status"]))
    assert [(r.org_code, r.state, r.version) for r in states.itertuples()] == [
        ("a", "pending", 2),
        ("b", "returned", 3),
        ("c", "withdrawn", 1),
        ("d", "missing", 1),
        ("e", "draft", 3),
        ("f", "published", 2),  # an older draft is no longer in play
    ]


def test_a_reporter_reads_only_their_own_history_and_register_row(ws):
    assert set(staff.submissions(ws, REPORTER)["org_code"]) == {"demo-tyo"}
    assert list(staff.organisations(ws, REPORTER)["code"]) == ["demo-tyo"]
    member = Caller("m", Role.MEMBER, "demo-tuki")
    assert set(staff.submissions(ws, member)["org_code"]) == {"demo-tuki"}
