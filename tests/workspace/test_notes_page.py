"""AppTest: the coordinator writes a note, previews it on a chart, publishes it; edits a reference series."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dashboard.app_pages.helpers import notes as helpers
from dashboard.presenting.figure_spec import FigureSpec
from etl.errors import InputError
from etl.i18n import t
from etl.publish import snapshots
from etl.services.access import Role
from etl.sqlfiles import open_snapshot
from tests.dashboard.test_pages import untranslated
from tests.dashboard.test_period_remarks import CLIENT_SYSTEM, page_context, yearly_cells
from tests.workspace.helpers import app, open_page, warehouse_rows


def _button(at, key: str, lang: str = "en"):
    return next(b for b in at.button if b.label == t(key, lang))


def _served_notes(settings):
    ref = snapshots.current(settings)
    with open_snapshot(ref.path) as con:
        return ref.version, con.execute("SELECT id, label_en FROM period_note ORDER BY id").fetchall()


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_the_page_reads_in_each_language_with_nothing_unpublished(tiny_ws, lang):
    at = open_page(app(tiny_ws, Role.COORDINATOR, lang), "notes")
    assert [h.value for h in at.title] == [t("staff_notes.title", lang)]
    version = snapshots.current(tiny_ws).version
    assert t("staff_notes.unpublished_none", lang, version=str(version)) in [s.value for s in at.success]
    table = at.dataframe[0].value
    assert t("staff_notes.kind_break", lang) in set(table[t("staff_notes.column_kind", lang)])
    assert t("staff_notes.unverified_line", lang) in [w.value for w in at.warning]
    if lang != "fi":  # the staff's own texts (notes, sources) stay as written; the page's words do not
        assert untranslated(at, lang) == []


def test_the_coordinator_writes_a_note_sees_it_in_the_preview_and_publishes_it(tiny_ws):
    version, before = _served_notes(tiny_ws)
    at = open_page(app(tiny_ws, Role.COORDINATOR), "notes")
    form = [a for a in at.text_area if a.label.startswith("Text in")]
    for area, text in zip(form, ("Uusi järjestelmä.", "Nytt system.", "A new client system."), strict=True):
        area.set_value(text)
    at.selectbox[1].set_value("2024")  # the period (the first select chooses the note to edit)
    _button(at, "staff_notes.save").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert next(s.value for s in at.success) == t("staff_notes.saved", "en", id="note-2024-all")
    assert _served_notes(tiny_ws) == (version, before)  # readers do not see it yet

    assert at.table[0].value.values.tolist() == [["Note on 2024: A new client system.", "new"]]
    assert any("A new client system." in c.value for c in at.caption)  # the preview chart's notes carry it

    _button(at, "staff_notes.publish").click().run()
    assert next(s.value for s in at.success) == t("staff_notes.published", "en", version=str(version + 1))
    served, notes = _served_notes(tiny_ws)
    assert served == version + 1 and ("note-2024-all", "A new client system.") in notes


def test_the_coordinator_changes_a_series_values_and_marks_it_checked(tiny_ws):
    at = open_page(app(tiny_ws, Role.COORDINATOR), "notes")
    values = next(a for a in at.text_area if a.label == t("staff_notes.values", "en"))
    values.set_value("2023: 150\n2024: 1 180")
    _button(at, "staff_notes.save_series").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert warehouse_rows(tiny_ws, "SELECT period, value FROM reference_value ORDER BY period") == [
        ("2023", 150),
        ("2024", 1180),
    ]
    assert warehouse_rows(tiny_ws, "SELECT count(*) FROM audit_log WHERE action = 'reference_series'") == [(0,)]
    _button(at, "staff_notes.verify").click().run()
    assert warehouse_rows(tiny_ws, "SELECT verified, verified_by FROM reference_series") == [(True, "test-coordinator")]
    assert any(s.value.startswith("Checked against the source by test-coordinator") for s in at.success)


def test_a_bad_values_line_is_named_and_nothing_is_saved(tiny_ws):
    before = warehouse_rows(tiny_ws, "SELECT * FROM reference_value ORDER BY period")
    at = open_page(app(tiny_ws, Role.COORDINATOR, "fi"), "notes")
    values = next(a for a in at.text_area if a.label == t("staff_notes.values", "fi"))
    values.set_value("2023: 150\nvuosi 2024 noin 180")
    _button(at, "staff_notes.save_series", "fi").click().run()
    expected = t("staff_notes.errors.values_line", "fi", line="2", text="vuosi 2024 noin 180")
    assert [e.value for e in at.error] == [expected]
    assert warehouse_rows(tiny_ws, "SELECT * FROM reference_value ORDER BY period") == before


def test_unpublished_lists_new_changed_and_removed_rows():
    notes = pd.DataFrame(
        [("a", "2024", "note", None, "fi", "sv", "en"), ("b", "2023", "break", "PERS_NEW", "fi", "sv", "en")],
        columns=["id", *helpers.NOTE_FIELDS],
    )
    series = pd.DataFrame([("S", *"abcdefghijk")], columns=["series", *helpers.SOURCE_FIELDS])
    values = pd.DataFrame([("S", "2024", 5)], columns=["series", "period", "value"])
    published = {"period_notes": notes, "reference_series": series, "reference_values": values}
    draft = {
        "period_notes": pd.concat([notes.iloc[[0]].assign(label_en="changed"), notes.iloc[[1]].assign(id="c")]),
        "reference_series": series,
        "reference_values": values.assign(value=6),
    }
    assert helpers.unpublished(draft, published, "en").values.tolist() == [
        ["Note on 2024: changed", "changed"],
        ["Note on 2023: en", "removed"],
        ["Note on 2023: en", "new"],
        ["Values of S", "changed"],
    ]
    assert helpers.unpublished(published, published, "en").empty


@given(st.dictionaries(st.integers(1900, 2099).map(str), st.integers(0, 10**6), max_size=12))
def test_values_text_reads_back_as_the_same_values(values):
    frame = pd.DataFrame([("S", p, v) for p, v in values.items()], columns=["series", "period", "value"])
    assert helpers.parse_values(helpers.values_text(frame, "S")) == values


@pytest.mark.parametrize(
    ("text", "key"), [("2024 :", "values_line"), ("24: 5", "values_line"), ("2024: 1\n2024: 2", "values_twice")]
)
def test_values_that_are_not_year_number_lines_are_refused(text, key):
    with pytest.raises(InputError) as refused:
        helpers.parse_values(text)
    assert refused.value.key == f"staff_notes.errors.{key}"


def test_blank_lines_thousands_spaces_and_semicolons_are_read():
    assert helpers.parse_values("2023;150\n\n 2024 : 1\u00a0180 ") == {"2023": 150, "2024": 1180}


def test_the_preview_draws_the_measures_trend_with_the_notes_as_they_stand():
    shown = helpers.preview(
        page_context(), yearly_cells([2021, 2022, 2023, 2024]).drop(columns="code"), "PERS_NEW", "New"
    )
    assert isinstance(shown, FigureSpec) and shown.figure_id == "notes.preview"
    assert f"Note on 2023: {CLIENT_SYSTEM}" in shown.notes
    marks = [a for a in shown.figure.layout.annotations if a.text == t("figures.note_short", "en")]
    assert len(marks) == 2 and "client system" in marks[1].hovertext  # 2021 and 2023 marked on the chart too


def test_the_coordinator_adds_a_series_with_its_values(tiny_ws):
    at = open_page(app(tiny_ws, Role.COORDINATOR, "sv"), "notes")
    at.selectbox(key="notes_series").set_value("").run()
    at.text_input(key=next(i.key for i in at.text_input if i.label == t("staff_notes.series_code", "sv"))).set_value(
        "police_recorded"
    )
    for field in helpers.SERIES_FIELDS:
        box = next(b for b in [*at.text_input, *at.text_area] if b.label == t(f"staff_notes.{field}", "sv"))
        box.set_value("https://poliisi.fi/" if field == "source_url" else f"{field} text")
    next(a for a in at.text_area if a.label == t("staff_notes.values", "sv")).set_value("2024: 41")
    _button(at, "staff_notes.save_series", "sv").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert [e.value for e in at.error] == []
    assert warehouse_rows(
        tiny_ws, "SELECT label_sv, verified FROM reference_series WHERE series = 'POLICE_RECORDED'"
    ) == [("label_sv text", False)]
    assert warehouse_rows(tiny_ws, "SELECT period, value FROM reference_value WHERE series = 'POLICE_RECORDED'") == [
        ("2024", 41)
    ]


def test_a_read_model_exported_before_it_held_the_context_is_exported_again(tiny_ws):
    import duckdb

    from etl.warehouse import staff

    con = duckdb.connect(str(staff.staff_path(tiny_ws)))
    con.execute("DROP TABLE period_note")  # as an earlier release exported it
    con.close()
    at = open_page(app(tiny_ws, Role.COORDINATOR), "notes")
    assert [i.value for i in at.info] == [t("workspace.read_model_missing", "en")]
    _button(at, "workspace.read_model_refresh").click().run()
    assert not at.exception and t("staff_notes.notes_title", "en") in [h.value for h in at.subheader]
