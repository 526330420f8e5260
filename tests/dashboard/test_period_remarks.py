"""Notes on periods (period_note rows of kind 'note'): under every chart of their year, marked on trends."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import pytest

from bench.harness.plotly_json import decode_typed_arrays
from dashboard.app_pages.helpers import methods
from dashboard.presenting import notes, specs, theme
from dashboard.presenting.figure_spec import FigureSpec
from dashboard.presenting.figures import trend
from dashboard.reading.vocabulary import Vocabulary
from dashboard.view import PageContext
from etl.i18n import t
from etl.publish.snapshots import SnapshotRef

CLIENT_SYSTEM = "One member changed its client system; its new clients are not comparable with 2022."
# As period_notes.sql returns them (by year, id): notes for one measure, for every measure, for another
# measure, and a break.
PERIOD_NOTES = pd.DataFrame(
    [
        ("a-early", 2021, "note", "PERS_NEW", "Vanha huomautus", "Gammal anmärkning", "An old note"),
        ("b-law", 2023, "break", None, "Laki muuttui", "Lagen ändrades", "A law changed"),
        ("c-system", 2023, "note", "PERS_NEW", "Asiakasjärjestelmä vaihtui", "Klientsystemet byttes", CLIENT_SYSTEM),
        ("d-all", 2023, "note", None, "Kaikkia koskeva", "Gäller alla", "About every measure"),
        ("e-other", 2023, "note", "CONTACTS", "Toinen mittari", "Annat mått", "Another measure"),
    ],
    columns=["id", "year", "kind", "measure", "label_fi", "label_sv", "label_en"],
)


def _labels(frame: pd.DataFrame) -> list[str]:
    return frame["label"].tolist()


def test_a_note_applies_to_its_measure_or_every_measure_in_the_years_shown():
    remarks = notes.remarks_for(PERIOD_NOTES, "PERS_NEW", [2022, 2023, 2024], "en")
    assert list(remarks.columns) == ["year", "label"]
    assert remarks["year"].tolist() == [2023, 2023]
    assert _labels(remarks) == [CLIENT_SYSTEM, "About every measure"]  # not the break, 2021 or another measure
    assert _labels(notes.remarks_for(PERIOD_NOTES, "CONTACTS", [2023], "en")) == [
        "About every measure",
        "Another measure",
    ]
    assert _labels(notes.remarks_for(PERIOD_NOTES, "PERS_NEW", [2021], "en")) == ["An old note"]
    assert notes.remarks_for(PERIOD_NOTES, "PERS_NEW", [2024, 2025], "en").empty
    assert _labels(notes.remarks_for(PERIOD_NOTES, "PERS_NEW", [2023], "sv")) == [
        "Klientsystemet byttes",
        "Gäller alla",
    ]


def test_breaks_still_leave_the_notes_out():
    assert _labels(notes.breaks_for(PERIOD_NOTES, "PERS_NEW", "en")) == ["A law changed"]


@pytest.mark.parametrize(
    ("lang", "line"),
    [("fi", "Huomautus 2023: Asiakasjärjestelmä vaihtui"), ("sv", "Anmärkning 2023: Klientsystemet byttes"),
     ("en", f"Note on 2023: {CLIENT_SYSTEM}")],
)  # fmt: skip
def test_a_note_is_a_line_right_after_the_breaks(lang, line):
    breaks = notes.breaks_for(PERIOD_NOTES, "PERS_NEW", lang)
    remarks = notes.remarks_for(PERIOD_NOTES, "PERS_NEW", [2023], lang)
    frame = pd.DataFrame({"flag": ["p"], "value": [4]})
    lines = notes.chart_notes(lang, 5, [frame], breaks, remarks=remarks, extra=["extra"])
    break_line = t("notes.break", lang, year="2023", label=breaks["label"].iloc[0])
    assert lines.index("extra") < lines.index(break_line)
    assert lines[lines.index(break_line) + 1] == line
    assert lines[lines.index(line) + 2] == t("notes.flag_p", lang)  # the legend after both notes


def yearly_cells(years: list[int], code_column: str = "code", code: str = "_T") -> pd.DataFrame:
    """Protected cells of a measure, one a year, as the gate gives them (shared with the export tests)."""
    return pd.DataFrame(
        {
            "period": [str(year) for year in years],
            "year": years,
            "kind": "Y",
            code_column: code,
            "value": pd.array([40 + year % 10 for year in years], dtype="Int64"),
            "display": [str(40 + year % 10) for year in years],
            "flag": "",
            "members": 4,
        }
    )


def _note_marks(figure: dict) -> list[dict]:
    return [a for a in figure["layout"].get("annotations", []) if a["text"] == t("figures.note_short", "en")]


def _json(figure: go.Figure) -> dict:
    return decode_typed_arrays(json.loads(figure.to_json()))


def test_a_trend_marks_a_note_at_its_years_first_period_with_the_text_on_hover():
    halves = pd.DataFrame(
        {
            "period": ["2022H1", "2022H2", "2023H1", "2023H2"],
            "year": [2022, 2022, 2023, 2023],
            "kind": ["H1", "H2", "H1", "H2"],
            "code": "_T",
            "value": pd.array([10, 12, 14, 16], dtype="Int64"),
            "display": ["10", "12", "14", "16"],
            "flag": "",
        }
    )
    members = pd.DataFrame({"period": halves["period"], "members": 4})
    breaks = pd.DataFrame({"year": [2023], "label": ["A law changed"]})
    remarks = notes.remarks_for(PERIOD_NOTES, "PERS_NEW", [2022, 2023], "en")
    figure = _json(trend.trend_figure(halves, {}, {}, members, breaks, "en", 5, remarks=remarks))
    [mark] = _note_marks(figure)  # both notes of 2023 share one mark
    assert mark["x"] == 2  # 2023 H1, where the year starts
    assert (mark["yref"], mark["y"], mark["yanchor"]) == ("y domain", 1, "top")  # inside the top of the plot
    assert mark["font"]["color"] == theme.NOTE and mark["bordercolor"] == theme.NOTE
    hover = mark["hovertext"].replace("<br>", " ")
    assert CLIENT_SYSTEM in hover and "About every measure" in hover
    assert [s["x0"] for s in figure["layout"]["shapes"]] == [1.5]  # a note draws no line: the one is the break's


def test_a_trend_without_notes_has_no_note_mark():
    members = pd.DataFrame({"period": ["2022", "2023"], "members": 4})
    empty = pd.DataFrame(columns=["year", "label"])
    assert _note_marks(_json(trend.trend_figure(yearly_cells([2022, 2023]), {}, {}, members, empty, "en", 5))) == []
    remarks = notes.remarks_for(PERIOD_NOTES, "PERS_NEW", [2023], "en")
    drawn = trend.trend_figure(yearly_cells([2022, 2023]), {}, {}, members, empty, "en", 5, remarks=remarks)
    assert len(_note_marks(_json(drawn))) == 1


def _vocab() -> Vocabulary:
    labels = {"label_fi": ["Uudet asiakkaat"], "label_sv": ["Nya klienter"], "label_en": ["New clients"]}
    return Vocabulary(
        codes=pd.DataFrame(
            {
                "dimension": "sex",
                "code": ["F", "M"],
                "label_fi": ["Naiset", "Miehet"],
                "label_sv": ["Kvinnor", "Män"],
                "label_en": ["Women", "Men"],
                "parent": None,
                "sort": [1, 2],
            }
        ),
        measures=pd.DataFrame(
            {
                "code": ["PERS_NEW"],
                **labels,
                "nature": ["flow"],
                "unit": ["persons"],
                "multi_response": [False],
                "sort": [1],
            }
        ),
        dimensions=pd.DataFrame(
            {"code": ["sex"], "label_fi": ["Sukupuoli"], "label_sv": ["Kön"], "label_en": ["Sex"], "sort": [1]}
        ),
        breakdown_rows=pd.DataFrame({"measure": "PERS_NEW", "dim1": ["_T", "sex"], "dim2": ["_T", "_T"]}),
    )


def page_context(lang: str = "en") -> PageContext:
    """A page's context over PERIOD_NOTES, built without a data version (shared with the export tests)."""
    snapshot = SnapshotRef(7, Path("/nonexistent/v00007/tilannekuva.duckdb"), datetime(2026, 3, 15))
    return PageContext(lang=lang, snapshot=snapshot, vocab=_vocab(), threshold=5, period_notes=PERIOD_NOTES)


def _note_lines(spec: FigureSpec | specs.Empty) -> list[str]:
    assert isinstance(spec, FigureSpec)
    return [line for line in spec.notes if line.startswith("Note on")]


def test_the_context_gives_the_notes_of_the_years_asked():
    assert _labels(page_context().remarks("PERS_NEW", [2023])) == [CLIENT_SYSTEM, "About every measure"]
    assert page_context().remarks("PERS_NEW", [2024]).empty


def test_a_trend_spec_covering_the_year_carries_the_note_and_its_mark():
    chart = specs.Chart("trends.chart", "New clients")
    spec = specs.over_time(page_context(), chart, yearly_cells([2021, 2022, 2023, 2024]), "PERS_NEW")
    assert _note_lines(spec) == [
        "Note on 2021: An old note",
        f"Note on 2023: {CLIENT_SYSTEM}",
        "Note on 2023: About every measure",
    ]
    assert isinstance(spec, FigureSpec)
    assert sorted(mark["x"] for mark in _note_marks(_json(spec.figure))) == [0, 2]


def test_a_trend_spec_that_leaves_the_year_out_leaves_the_note_out():
    spec = specs.over_time(
        page_context(), specs.Chart("trends.chart", "New clients"), yearly_cells([2024, 2025]), "PERS_NEW"
    )
    assert _note_lines(spec) == []


def _by_sex(year: int) -> pd.DataFrame:
    return pd.concat([yearly_cells([year], "code1", "F"), yearly_cells([year], "code1", "M")], ignore_index=True)


def test_a_breakdown_of_the_year_carries_the_note():
    chart = specs.Chart("who.sex", "New clients by sex")
    spec = specs.breakdown(page_context(), chart, _by_sex(2023), "PERS_NEW", "sex")
    assert _note_lines(spec) == [f"Note on 2023: {CLIENT_SYSTEM}", "Note on 2023: About every measure"]
    assert _note_lines(specs.breakdown(page_context(), chart, _by_sex(2024), "PERS_NEW", "sex")) == []


def test_a_cross_of_the_year_carries_the_note_in_its_language():
    frame = yearly_cells([2023], "code1", "F").assign(code2="M")
    spec = specs.cross(page_context("fi"), specs.Chart("who.cross", "x"), frame, "PERS_NEW", "sex", "sex")
    assert isinstance(spec, FigureSpec)
    assert "Huomautus 2023: Asiakasjärjestelmä vaihtui" in spec.notes


def test_the_methods_page_lists_the_notes_apart_from_the_breaks():
    vocab = _vocab()
    remarks = methods.remarks_table(PERIOD_NOTES, vocab, "en")
    assert list(remarks.columns) == ["Year", "Applies to", "Note"]
    assert remarks.values.tolist() == [
        ["2021", "New clients", "An old note"],
        ["2023", "New clients", CLIENT_SYSTEM],
        ["2023", "every measure", "About every measure"],
        ["2023", "CONTACTS", "Another measure"],
    ]
    assert methods.breaks_table(PERIOD_NOTES, vocab, "en").values.tolist() == [
        ["2023", "every measure", "A law changed"]
    ]
