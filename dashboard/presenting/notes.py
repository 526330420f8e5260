"""The notes under a chart: caveat, what the unit is, series breaks, and the legend of flags shown."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from dashboard.presenting import series
from etl import disclosure
from etl.i18n import t

# Flags of the members' data that get a line when a chart shows them (c and d, protection's, say their symbol).
DATA_FLAGS = ("p", "e", "r")


def breaks_for(notes: pd.DataFrame, measure: str | None, lang: str) -> pd.DataFrame:
    """Series breaks that apply to a measure (or to every measure): year, label."""
    rows = notes[(notes["kind"] == "break") & (notes["measure"].isna() | (notes["measure"] == measure))]
    return pd.DataFrame({"year": rows["year"].astype(int).tolist(), "label": rows[f"label_{lang}"].tolist()})


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
    if breaks is not None:
        notes += [t("notes.break", lang, year=str(year), label=label) for year, label in breaks.itertuples(index=False)]
    notes += legend(series.flag_letters(*frames), lang, threshold)
    return notes
