"""The notes under a chart: caveat, what the unit is, series breaks, notes on periods, and the legend of flags."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from dashboard.presenting import series
from etl import disclosure
from etl.i18n import t

# Flags of the members' data that get a line when a chart shows them (c and d, protection's, say their symbol).
DATA_FLAGS = ("p", "e", "r")


def _applying(notes: pd.DataFrame, kind: str, measure: str | None) -> pd.DataFrame:
    """Rows of one kind for a measure: its own and those without a measure (they apply to every measure)."""
    return notes[(notes["kind"] == kind) & (notes["measure"].isna() | (notes["measure"] == measure))]


def _year_and_label(rows: pd.DataFrame, lang: str) -> pd.DataFrame:
    return pd.DataFrame({"year": rows["year"].astype(int).tolist(), "label": rows[f"label_{lang}"].tolist()})


def breaks_for(notes: pd.DataFrame, measure: str | None, lang: str) -> pd.DataFrame:
    """Series breaks that apply to a measure (or to every measure): year, label."""
    return _year_and_label(_applying(notes, "break", measure), lang)


def remarks_for(notes: pd.DataFrame, measure: str | None, years: Iterable[int], lang: str) -> pd.DataFrame:
    """The coordinator's notes on periods (kind 'note') for a measure, in the years a chart shows: year, label.

    Unlike a break, a note is about its year only, so a chart that leaves the year out leaves the note out.
    """
    rows = _applying(notes, "note", measure)
    return _year_and_label(rows[rows["year"].astype(int).isin({int(year) for year in years})], lang)


def legend(letters: set[str], lang: str, threshold: int) -> list[str]:
    """The symbols shown (`<5`, `x`) with the one meaning they have everywhere, then the data's own flags."""
    data_flags = [t(f"notes.flag_{letter}", lang) for letter in DATA_FLAGS if letter in letters]
    return disclosure.symbol_lines(letters, lang, threshold) + data_flags


def chart_notes(
    lang: str,
    threshold: int,
    frames: Iterable[pd.DataFrame] = (),
    breaks: pd.DataFrame | None = None,
    *,
    remarks: pd.DataFrame | None = None,
    unit: str = "persons",
    multi_response: bool = False,
    extra: Iterable[str] = (),
) -> list[str]:
    """Every note a chart carries, in the order a reader needs them."""
    notes = [t("common.caveat", lang)]
    if unit == "contacts":
        notes.append(t("notes.contacts", lang))
    if multi_response:
        notes.append(t("notes.multi_response", lang))
    notes += list(extra)
    notes += _dated("notes.break", breaks, lang) + _dated("notes.remark", remarks, lang)
    notes += legend(series.flag_letters(*frames), lang, threshold)
    return notes


def _dated(key: str, rows: pd.DataFrame | None, lang: str) -> list[str]:
    """One line per (year, label) row: a series break or a note on a period."""
    if rows is None:
        return []
    return [t(key, lang, year=str(year), label=label) for year, label in rows.itertuples(index=False)]
