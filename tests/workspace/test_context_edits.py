"""Staff edit period notes, breaks and reference series: checked, audited, published as a data version, replayable."""

from __future__ import annotations

import pytest

from etl.errors import InputError, NotFoundError
from etl.ops import rebuild
from etl.publish import snapshots
from etl.services import context
from etl.services.access import AccessDenied, Caller, Role
from etl.sqlfiles import open_snapshot
from etl.warehouse import staff
from etl.warehouse.writer import writer
from tests.workspace.helpers import COORDINATOR, audit_rows, last_audit_id, warehouse_rows

NOTE = context.Note(
    "", "2024", "note", "PERS_NEW", "Uusi asiakasjärjestelmä.", "Nytt klientsystem.", "A new client system."
)


def series(code: str, **change: str) -> context.Series:
    fields = {name: f"{code} {name[-2:]}" for name in ("label_fi", "label_sv", "label_en")}
    fields |= {f"source_{lang}": f"source {lang}" for lang in ("fi", "sv", "en")}
    fields |= {f"not_comparable_{lang}": f"why {lang}" for lang in ("fi", "sv", "en")}
    return context.Series(code, **{**fields, "source_url": "https://example.org/", **change})


def _snapshot_rows(settings, sql):
    ref = snapshots.current(settings)
    assert ref is not None
    with open_snapshot(ref.path) as con:
        return ref.version, con.execute(sql).fetchall()


def test_a_note_is_saved_audited_and_reaches_readers_only_when_published(tiny_ws):
    before, (version, published) = last_audit_id(tiny_ws), _snapshot_rows(tiny_ws, "SELECT id FROM period_note")
    made = context.save_note(tiny_ws, COORDINATOR, NOTE)
    assert made == "note-2024-pers-new"
    assert warehouse_rows(tiny_ws, "SELECT period, kind, measure, label_en FROM period_note WHERE id = ?", [made]) == [
        ("2024", "note", "PERS_NEW", "A new client system.")
    ]
    assert _snapshot_rows(tiny_ws, "SELECT id FROM period_note") == (version, published)  # not yet public
    assert set(staff.context(tiny_ws, COORDINATOR)["period_notes"]["id"]) == {*(i for (i,) in published), made}

    new_version = context.publish(tiny_ws, COORDINATOR, "notes")
    assert new_version == version + 1
    served, notes = _snapshot_rows(tiny_ws, "SELECT id, label_fi FROM period_note ORDER BY id")
    assert served == new_version and (made, "Uusi asiakasjärjestelmä.") in notes
    with open_snapshot(snapshots.snapshot_path(tiny_ws, version)) as con:  # the earlier version keeps its notes
        assert con.execute("SELECT id FROM period_note ORDER BY id").fetchall() == sorted(published)
    assert context.publish(tiny_ws, COORDINATOR) is None  # nothing changed since: no new version
    assert audit_rows(tiny_ws, before) == [
        ("test-coordinator", "note_save", "ok"),
        ("test-coordinator", "publish_context", "ok"),
    ]


def test_a_second_note_of_the_same_period_gets_its_own_id_and_a_deleted_note_is_gone(tiny_ws):
    first = context.save_note(tiny_ws, COORDINATOR, NOTE)
    second = context.save_note(tiny_ws, COORDINATOR, NOTE)
    assert (first, second) == ("note-2024-pers-new", "note-2024-pers-new-2")
    changed = context.Note(first, "2023H2", "break", None, "a", "b", "c")
    assert context.save_note(tiny_ws, COORDINATOR, changed) == first
    assert warehouse_rows(tiny_ws, "SELECT period, kind, measure FROM period_note WHERE id = ?", [first]) == [
        ("2023H2", "break", None)
    ]
    context.delete_note(tiny_ws, COORDINATOR, second)
    assert warehouse_rows(tiny_ws, "SELECT count(*) FROM period_note WHERE id = ?", [second]) == [(0,)]
    with pytest.raises(NotFoundError) as gone:
        context.delete_note(tiny_ws, COORDINATOR, second)
    assert gone.value.key == "staff_notes.errors.no_note"


@pytest.mark.parametrize(
    ("change", "key"),
    [
        ({"period": "2024H3"}, "staff_notes.errors.period"),
        ({"kind": "rumour"}, "staff_notes.errors.kind"),
        ({"measure": "NOT_A_MEASURE"}, "staff_notes.errors.measure"),
        ({"label_sv": "  "}, "staff_notes.errors.text_missing"),
        ({"label_en": "x" * 601}, "staff_notes.errors.text_long"),
        ({"id": "Bad Id"}, "staff_notes.errors.note_id"),
    ],
)
def test_a_note_that_cannot_be_is_refused_and_changes_nothing(tiny_ws, change, key):
    before = warehouse_rows(tiny_ws, "SELECT * FROM period_note ORDER BY id")
    after_id = last_audit_id(tiny_ws)
    fields = {**NOTE.__dict__, **change}
    with pytest.raises(InputError) as refused:
        context.save_note(tiny_ws, COORDINATOR, context.Note(**fields))
    assert refused.value.key == key
    assert refused.value.message("fi") != refused.value.message("en")  # said in the reader's language
    assert warehouse_rows(tiny_ws, "SELECT * FROM period_note ORDER BY id") == before
    assert audit_rows(tiny_ws, after_id) == []


def test_reference_values_and_source_unverify_and_a_check_records_who_and_when(tiny_ws):
    context.verify(tiny_ws, COORDINATOR, "NAS_NEW_ADMITTED")
    checked = "SELECT verified, verified_by, verified_on IS NOT NULL FROM reference_series"
    assert warehouse_rows(tiny_ws, checked) == [(True, "test-coordinator", True)]
    context.set_values(tiny_ws, COORDINATOR, "NAS_NEW_ADMITTED", {"2023": 150, "2024": 180})
    assert warehouse_rows(tiny_ws, "SELECT period, value FROM reference_value ORDER BY period") == [
        ("2023", 150),
        ("2024", 180),
    ]
    assert warehouse_rows(tiny_ws, checked) == [(False, None, False)]
    context.verify(tiny_ws, COORDINATOR, "NAS_NEW_ADMITTED")
    context.save_series(tiny_ws, COORDINATOR, series("NAS_NEW_ADMITTED"))
    assert warehouse_rows(tiny_ws, "SELECT label_en, source_sv, source_url, verified FROM reference_series") == [
        ("NAS_NEW_ADMITTED en", "source sv", "https://example.org/", False)
    ]
    for broken, key in ((series("NAS_NEW_ADMITTED", source_url="ftp:x"), "url"), (series("no spaces"), "series_code")):
        with pytest.raises(InputError) as refused:
            context.save_series(tiny_ws, COORDINATOR, broken)
        assert refused.value.key == f"staff_notes.errors.{key}"
    with pytest.raises(InputError) as bad_year:
        context.set_values(tiny_ws, COORDINATOR, "NAS_NEW_ADMITTED", {"2024H1": 3})
    assert bad_year.value.key == "staff_notes.errors.year"
    with pytest.raises(NotFoundError):
        context.verify(tiny_ws, COORDINATOR, "NO_SUCH_SERIES")


def test_only_staff_edit_the_context_and_each_refusal_is_in_the_log(tiny_ws):
    before = last_audit_id(tiny_ws)
    for caller in (Caller("m", Role.MEMBER, "demo-tuki"), Caller("o", Role.OBSERVER), None):
        with pytest.raises(AccessDenied):
            context.save_note(tiny_ws, caller, NOTE)
        with pytest.raises(AccessDenied):
            context.publish(tiny_ws, caller)
    assert {row[1:] for row in audit_rows(tiny_ws, before)} == {("note_save", "denied"), ("publish_context", "denied")}
    assert warehouse_rows(tiny_ws, "SELECT count(*) FROM period_note WHERE id LIKE 'note-%'") == [(0,)]


def test_a_codebook_change_does_not_overwrite_what_staff_edited(tiny_ws):
    made = context.save_note(tiny_ws, COORDINATOR, context.Note("law-2019", "2019", "break", None, "a", "b", "c"))
    context.delete_note(tiny_ws, COORDINATOR, "nas-2023")
    with writer(tiny_ws) as con:  # as when a new release changes the codebook: the schema is applied again
        con.execute("UPDATE schema_info SET value = 'older' WHERE key = 'codebook'")
    with writer(tiny_ws):
        pass
    assert warehouse_rows(tiny_ws, "SELECT label_en FROM period_note WHERE id = ?", [made]) == [("c",)]
    assert warehouse_rows(tiny_ws, "SELECT count(*) FROM period_note WHERE id = 'nas-2023'") == [(0,)]


def test_the_log_replays_context_changes_and_their_publication_identically(tiny_ws, tmp_path):
    context.save_note(tiny_ws, COORDINATOR, NOTE)
    context.delete_note(tiny_ws, COORDINATOR, "law-2019")
    context.set_values(tiny_ws, COORDINATOR, "NAS_NEW_ADMITTED", {"2024": 180})
    context.verify(tiny_ws, COORDINATOR, "NAS_NEW_ADMITTED")
    context.publish(tiny_ws, COORDINATOR)
    context.save_series(tiny_ws, COORDINATOR, series("NAS_NEW_ADMITTED"))
    context.save_series(tiny_ws, COORDINATOR, series("POLICE_RECORDED"))
    context.set_values(tiny_ws, COORDINATOR, "POLICE_RECORDED", {"2024": 41})
    report = rebuild.rebuild(tiny_ws, tmp_path / "rebuilt")
    assert report.identical, report.differences
    assert report.versions == len(snapshots.list_versions(tiny_ws))


def test_staff_add_a_reference_series_that_readers_see_once_published(tiny_ws):
    context.save_series(tiny_ws, COORDINATOR, series("POLICE_RECORDED"))
    context.set_values(tiny_ws, COORDINATOR, "POLICE_RECORDED", {"2023": 35, "2024": 41})
    assert warehouse_rows(tiny_ws, "SELECT verified FROM reference_series WHERE series = 'POLICE_RECORDED'") == [
        (False,)
    ]
    context.publish(tiny_ws, COORDINATOR)
    _, shown = _snapshot_rows(tiny_ws, "SELECT series, label_sv FROM reference_series ORDER BY series")
    assert ("POLICE_RECORDED", "POLICE_RECORDED sv") in shown
    _, values = _snapshot_rows(tiny_ws, "SELECT period, value FROM reference_value WHERE series = 'POLICE_RECORDED'")
    assert sorted(values) == [("2023", 35), ("2024", 41)]
