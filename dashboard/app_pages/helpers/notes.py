"""Pure helpers of the Notes and sources page: what is not yet published, the notes table, values as text."""

from __future__ import annotations

import re
from collections.abc import Callable

import pandas as pd

from dashboard.presenting import specs
from dashboard.presenting.figure_spec import FigureSpec
from dashboard.view import PageContext
from etl.codebook import TOTAL
from etl.errors import InputError
from etl.i18n import t

NOTE_FIELDS = ["period", "kind", "measure", "label_fi", "label_sv", "label_en"]
SERIES_FIELDS = [  # what a reference series says about itself (etl.warehouse.context.Series), as the form asks
    "label_fi",
    "label_sv",
    "label_en",
    "source_fi",
    "source_sv",
    "source_en",
    "source_url",
    "not_comparable_fi",
    "not_comparable_sv",
    "not_comparable_en",
]
SOURCE_FIELDS = [*SERIES_FIELDS, "verified"]  # what readers see of it: a change to any is unpublished
_VALUE_LINE = re.compile(r"\s*(\d{4})\s*[:;=\t ]\s*(\d[\d\s\u00a0]*)\s*")


def _rows(frame: pd.DataFrame, key: str, fields: list[str]) -> dict[str, tuple[object, ...]]:
    """key -> the row's fields, with missing values as None (so NaN equals NaN)."""
    return {str(row[key]): tuple(None if pd.isna(row[f]) else row[f] for f in fields) for _, row in frame.iterrows()}


def _diff(draft: dict[str, tuple[object, ...]], published: dict[str, tuple[object, ...]]) -> list[tuple[str, str]]:
    found = [(key, "new") for key in draft if key not in published]
    found += [(key, "changed") for key in draft if key in published and draft[key] != published[key]]
    found += [(key, "removed") for key in published if key not in draft]
    return sorted(found)


def unpublished(draft: dict[str, pd.DataFrame], published: dict[str, pd.DataFrame], lang: str) -> pd.DataFrame:
    """What staff changed since the served version: one row per note, series source or series' values.

    `draft` and `published` hold period_notes (id and NOTE_FIELDS, period as its code),
    reference_series (series and SOURCE_FIELDS) and reference_values (series, period, value).
    """
    rows = []
    notes_draft = _rows(draft["period_notes"], "id", NOTE_FIELDS)
    notes_published = _rows(published["period_notes"], "id", NOTE_FIELDS)
    text = NOTE_FIELDS.index(f"label_{lang}")
    for key, change in _diff(notes_draft, notes_published):
        period, label = (
            (notes_draft.get(key) or notes_published[key])[0],
            (notes_draft.get(key) or notes_published[key])[text],
        )
        rows.append((t("staff_notes.what_note", lang, period=period, text=_short(str(label))), change))
    series_draft = _rows(draft["reference_series"], "series", SOURCE_FIELDS)
    series_published = _rows(published["reference_series"], "series", SOURCE_FIELDS)
    for key, change in _diff(series_draft, series_published):
        rows.append((t("staff_notes.what_series", lang, series=key), change))
    for key, change in _diff(
        _values_by_series(draft["reference_values"]), _values_by_series(published["reference_values"])
    ):
        rows.append((t("staff_notes.what_values", lang, series=key), change))
    return pd.DataFrame(
        [(what, t(f"staff_notes.change_{change}", lang)) for what, change in rows],
        columns=[t("staff_notes.column_what", lang), t("staff_notes.column_change", lang)],
    )


def _short(text: str, limit: int = 90) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _values_by_series(values: pd.DataFrame) -> dict[str, tuple[object, ...]]:
    return {
        str(series): tuple(sorted((str(p), int(v)) for p, v in zip(group["period"], group["value"], strict=True)))
        for series, group in values.groupby("series")
    }


def notes_table(notes: pd.DataFrame, measure_label: Callable[[str], str], lang: str) -> pd.DataFrame:
    """The notes in the reader's language: period, kind, measure (or every measure), text."""
    return pd.DataFrame(
        {
            t("staff_notes.column_period", lang): notes["period"].astype(str).tolist(),
            t("staff_notes.column_kind", lang): [t(f"staff_notes.kind_{k}", lang) for k in notes["kind"]],
            t("staff_notes.column_measure", lang): [
                t("staff_notes.all_measures", lang) if pd.isna(m) or not m else measure_label(str(m))
                for m in notes["measure"]
            ],
            t("staff_notes.column_text", lang): notes[f"label_{lang}"].astype(str).tolist(),
        }
    )


def as_period_notes(notes: pd.DataFrame) -> pd.DataFrame:
    """The read model's notes in the shape of a snapshot's (period_notes.sql): id, year, kind, measure, labels."""
    columns = ["id", "year", "kind", "measure", "label_fi", "label_sv", "label_en"]
    return notes[columns].sort_values(["year", "id"]).reset_index(drop=True)


def preview(ctx: PageContext, totals: pd.DataFrame, measure: str, title: str) -> FigureSpec | specs.Empty:
    """A measure's yearly network totals as a trend with `ctx`'s notes, as readers would see it once published.

    Built uncached, outside charts: the cached charts carry the published notes.
    """
    return specs.over_time(ctx, specs.Chart("notes.preview", title), totals.assign(code=TOTAL), measure)


def values_text(values: pd.DataFrame, series: str) -> str:
    """A series' values as the text area shows them: "2016: 130", one year a line."""
    rows = values[values["series"] == series].sort_values("period")
    return "\n".join(f"{period}: {int(value)}" for period, value in zip(rows["period"], rows["value"], strict=True))


def parse_values(text: str) -> dict[str, int]:
    """ "2016: 130" lines (also "2016;130", "2016 1 300") -> {"2016": 130}; blank lines are skipped."""
    values: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        match = _VALUE_LINE.fullmatch(line)
        if match is None:
            raise InputError("staff_notes.errors.values_line", line=str(number), text=line.strip())
        year, value = match.group(1), int(re.sub(r"[\s\u00a0]", "", match.group(2)))
        if year in values:
            raise InputError("staff_notes.errors.values_twice", year=year)
        values[year] = value
    return values
