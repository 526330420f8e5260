"""Every workspace action writes exactly one audit row: uploads, publications, decisions, the register, exports."""

from datetime import date

import pytest

from etl.errors import BusyError
from etl.services import workflow
from etl.services.access import Role
from etl.warehouse.organisations import Organisation
from etl.warehouse.writer import writer_lock
from tests.workspace.helpers import (
    COORDINATOR,
    REPORTER,
    app,
    audit_rows,
    captured_downloads,
    last_audit_id,
    long_file,
    open_page,
)

CO = COORDINATOR.username
REP = REPORTER.username


def _one_row(settings, action, *expected):
    """Run `action`; the log must have grown by exactly the `expected` rows."""
    start = last_audit_id(settings)
    action()
    assert audit_rows(settings, start) == list(expected)


def test_upload_attempts_publications_and_decisions_write_one_row_each(tiny_ws):
    ws = tiny_ws  # four publications: on the demo each would protect 2025 again against ten versions
    good = long_file("demo-tyo", "2025", 41, 31, 10)
    bad = long_file("demo-tyo", "2025", 41, -31, 10)
    _one_row(ws, lambda: workflow.upload(ws, REPORTER, bad, "bad.csv", "demo-tyo", "2025"), (REP, "load", "rejected"))
    _one_row(ws, lambda: workflow.upload(ws, REPORTER, good, "ok.csv", "demo-tyo", "2025"), (REP, "load", "loaded"))
    _one_row(ws, lambda: workflow.upload(ws, REPORTER, good, "ok.csv", "demo-tyo", "2025"), (REP, "load", "unchanged"))
    _one_row(ws, lambda: workflow.submit(ws, REPORTER, "demo-tyo", "2025"), (REP, "submit", "ok"))
    _one_row(ws, lambda: workflow.return_submission(ws, COORDINATOR, "demo-tyo", "2025", "LAB?"), (CO, "return", "ok"))
    again = long_file("demo-tyo", "2025", 42, 32, 10)
    _one_row(ws, lambda: workflow.upload(ws, REPORTER, again, "ok2.csv", "demo-tyo", "2025"), (REP, "load", "loaded"))
    _one_row(ws, lambda: workflow.submit(ws, REPORTER, "demo-tyo", "2025"), (REP, "submit", "ok"))
    _one_row(ws, lambda: workflow.approve(ws, COORDINATOR, "demo-tyo", "2025"), (CO, "approve", "ok"))
    _one_row(ws, lambda: workflow.withdraw(ws, COORDINATOR, "demo-tyo", "2025", "wrong"), (CO, "withdraw", "ok"))
    _one_row(ws, lambda: workflow.restore(ws, COORDINATOR, "demo-tyo", "2025", 1), (CO, "restore", "ok"))
    mine = long_file("demo-tuki", "2025H1", 40, 30, 10)
    _one_row(ws, lambda: workflow.upload(ws, COORDINATOR, mine, "c.csv", "demo-tuki", "2025H1"), (CO, "load", "loaded"))
    _one_row(ws, lambda: workflow.publish_upload(ws, COORDINATOR, "demo-tuki", "2025H1"), (CO, "publish", "ok"))


def test_a_busy_upload_still_writes_its_row(ws):
    start = last_audit_id(ws)
    with writer_lock(ws, "a long load"), pytest.raises(BusyError):
        workflow.upload(ws, REPORTER, long_file("demo-tyo", "2025", 41, 31, 10), "ok.csv", "demo-tyo", "2025")
    assert audit_rows(ws, start) == [(REP, "load", "busy")]


def test_register_changes_write_one_row_each(ws):
    new = Organisation("uusi-jasen", "Uusi ry", "Ny rf", "New", "LEGAL", date(2026, 1, 1))
    _one_row(ws, lambda: workflow.add_organisation(ws, COORDINATOR, new), (CO, "org_add", "ok"))
    until = date(2026, 6, 30)
    _one_row(
        ws, lambda: workflow.deactivate_organisation(ws, COORDINATOR, "uusi-jasen", until), (CO, "org_deactivate", "ok")
    )


@pytest.mark.parametrize(
    ("page", "files"),
    [
        ("audit_log", ["tilannekuva-audit-"]),
        ("data_download", ["tilannekuva-v", "-sdmx.csv", "-README.txt"]),
        ("upload", ["tilannekuva-demo-"]),  # the member template
        ("overview", [".png", ".svg", ".pdf", ".csv", ".excel.csv", ".xlsx", "alt-text.txt"]),
    ],
)
def test_each_export_download_writes_exactly_one_row_and_showing_the_button_none(ws, monkeypatch, page, files):
    start = last_audit_id(ws)
    with captured_downloads(monkeypatch) as downloads:
        open_page(app(ws, Role.COORDINATOR), page)
    exports = {name: make for name, make in downloads.items() if any(part in name for part in files)}
    assert len(exports) >= len(files) - (1 if page == "data_download" else 0) > 0
    assert audit_rows(ws, start, "export") == []  # the page shows the buttons: nothing is exported yet
    for name, make in exports.items():
        if name.endswith((".png", ".svg", ".pdf")):
            continue  # images need Chromium (tests/exports cover them); the row comes from the same wrapper
        before = last_audit_id(ws)
        payload = make()  # what Streamlit does once when the person clicks that button
        assert payload
        assert audit_rows(ws, before, "export") == [(CO, "export", "ok")], name
    # the first download of each figure also makes it public (docs/figure-links.md): one row per figure
    made_public = audit_rows(ws, start, "figure_public")
    assert set(made_public) <= {(CO, "figure_public", "ok")}
    twice = last_audit_id(ws)
    first = next(make for name, make in exports.items() if not name.endswith((".png", ".svg", ".pdf")))
    first()
    first()
    assert audit_rows(ws, twice, "export") == [(CO, "export", "ok")] * 2  # two downloads, two rows
    assert audit_rows(ws, twice, "figure_public") == []  # already public: kept once
