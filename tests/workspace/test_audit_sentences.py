"""The audit log reads as sentences in fi, sv and en: who did what, to what, and how it ended."""

from __future__ import annotations

import pytest

from dashboard.app_pages.helpers.audit import SAY, detail_of, sentence
from etl.i18n import LANGUAGES, catalogue, t
from etl.services import workflow
from etl.services.access import Role
from tests.workspace.helpers import REPORTER, app, long_file, open_page

ROWS = [  # (actor, action, outcome, detail) as the sealed log holds them
    ("kaisa", "load", "loaded", {"file_name": "tuki-2025.csv", "rows": 1234, "errors": 0, "places": []}),
    ("kaisa", "load", "rejected", {"file_name": "tuki-2025.csv", "rows": 3, "errors": 2}),
    ("kaisa", "submit", "ok", {"org_code": "demo-tyo", "period": "2025H1", "version": 2}),
    ("leena", "return", "ok", {"org_code": "demo-tyo", "period": "2025H1", "comment": "LAB?"}),
    ("leena", "approve", "ok", {"version": 11, "note": None, "published": [{"org_code": "demo-tyo"}]}),
    ("leena", "restore", "refused", {"source": "/backups/x", "reason": "backup.hash"}),
    ("kaisa", "export", "ok", {"kind": "csv", "file_name": "trends.chart-TK-10-2a0c40.csv"}),
    ("kaisa", "login", "failed", {"method": "password", "reason": "bad_password"}),
    ("kaisa", "user_disable", "denied", {"username": "leena"}),
    ("leena", "note_save", "ok", {"id": "note-2024-all", "period": "2024", "kind": "note"}),
    ("leena", "publish_context", "ok", {"version": 12, "context": {"period_note": 1}}),
    ("leena", "report_publish", "ok", {"period": "2025", "edition": 2, "version": 12}),
    ("kaisa", "something_new", "ok", {}),
]


def test_each_row_reads_as_a_sentence():
    said = [sentence(*row, "en") for row in ROWS]
    assert said == [
        "kaisa sent the file tuki-2025.csv (1\u00a0234 rows); it was loaded.",
        "kaisa sent the file tuki-2025.csv; it was refused (2 errors).",
        "kaisa submitted demo-tyo 2025H1 for approval.",
        "leena returned demo-tyo 2025H1 to its reporter: LAB?",
        "leena approved figures and published data version 11.",
        "leena restored a backup (refused).",
        "kaisa downloaded trends.chart-TK-10-2a0c40.csv.",
        "A sign-in as kaisa failed (bad_password).",
        "kaisa was not allowed to do this: user_disable.",
        "leena saved the note note-2024-all (2024).",
        "leena published notes and sources as data version 12.",
        "leena published the situation report 2025, edition 2 (data version 12).",
        "kaisa: something_new (ok).",
    ]
    assert sentence("kaisa", "submit", "ok", {}, "en") == "kaisa submitted – – for approval."  # never a placeholder
    one = {"file_name": "a.csv", "errors": 1}
    assert sentence("kaisa", "load", "rejected", one, "en") == "kaisa sent the file a.csv; it was refused (1 error)."
    assert sentence("kaisa", "load", "rejected", one, "fi") == "kaisa lähetti tiedoston a.csv; se hylättiin (1 virhe)."


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_sentence_exists_and_fills_in_every_language(lang):
    keys = {key for key in catalogue("en") if key.startswith(SAY)}
    assert keys == {key for key in catalogue(lang) if key.startswith(SAY)}
    for actor, action, outcome, detail in ROWS:
        assert "{" not in sentence(actor, action, outcome, detail, lang)


def test_the_audit_page_shows_sentences_not_json(tiny_ws):
    workflow.upload(tiny_ws, REPORTER, long_file("demo-tyo", "2025", 41, 31, 10), "ok.csv", "demo-tyo", "2025")
    page = open_page(app(tiny_ws, Role.COORDINATOR, "fi"), "audit_log")
    shown = page.dataframe[0].value
    assert list(shown.columns)[2] == t("workspace.audit.column_what", "fi")
    said = shown[t("workspace.audit.column_what", "fi")].tolist()
    assert any(s.startswith(f"{REPORTER.username} lähetti tiedoston ok.csv") for s in said), said
    assert not any("{" in cell for cell in shown.astype(str).to_numpy().ravel())  # no JSON on the page
    assert detail_of('{"a": 1}') == {"a": 1} and detail_of("not json") == {}
