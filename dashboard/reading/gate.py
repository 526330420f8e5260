"""The dashboard's disclosure gate: the only way pages, exports and downloads get figures.

Member and public views call `network()` (and `shares()`), which return protected
tables only: the cells etl.disclosure computed at publish time for every table of
the measure and year together (snapshot table `published_cell`). Exact figures of
one organisation need `restricted()` with the caller, whose role is checked here;
they are never put in a cache shared between users.

Every returned frame has the columns
    period, year, kind, code1, code2, value, flag, members
where `value` is Int64 and <NA> when hidden or not collected, and `flag` is a
string of flag letters: c (small count, shown as "<5"), d (hidden so that another
figure cannot be worked out, shown as "x"), p (provisional), e (estimated), b
(break in series). `legend(frame, lang)` gives the line every output containing a
hidden cell must carry.

If the threshold setting differs from the one the snapshot was protected with, the
gate protects the snapshot again at the current threshold, against the retained
versions before it (same code, cached per snapshot, threshold and measure), so the
setting is honoured everywhere. Tables and cells not offered (withheld) never leave it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import streamlit as st

from dashboard.reading import data
from etl import disclosure
from etl.codebook import TOTAL
from etl.config import get_settings
from etl.disclosure.engine import WITHHOLDING
from etl.disclosure.rules import SHARE_MIN_DENOMINATOR
from etl.disclosure.subsets import Level, choose
from etl.publish import snapshots
from etl.publish.preview import is_preview
from etl.publish.snapshots import SnapshotRef
from etl.services.access import OWN_FIGURES, AccessDenied, Caller, require

COLUMNS = ["period", "year", "kind", "code1", "code2", "value", "flag", "members"]
ALL = "all"


@dataclass(frozen=True)
class View:
    """What a page asks for: one measure, one breakdown, a span of years."""

    measure: str
    dim1: str = TOTAL
    dim2: str = TOTAL
    half_years: bool = False  # half-years instead of calendar years
    first_year: int = 2000
    last_year: int = 2099
    like_for_like: bool = False  # only members that reported in every period shown

    @property
    def kinds(self) -> list[str]:
        return ["H1", "H2"] if self.half_years else ["Y"]


def network(ref: SnapshotRef, view: View, margins: bool = False) -> pd.DataFrame:
    """Protected network figures for a view (all members, or a like-for-like group).

    `margins=True` adds the table's own totals (code1 and/or code2 `_T`): a
    breakdown's total over the members that reported it, a cross's row and column
    totals. A like-for-like view that cannot be offered gives an empty frame (see
    `like_for_like_members`).
    """
    subset = ALL
    if view.like_for_like:
        level = _level(ref, view)
        if level is None:
            return pd.DataFrame({column: pd.Series(dtype=_DTYPES[column]) for column in COLUMNS})
        subset = level.name
    cells = _finish(_cells(ref, view, subset, margins))
    # Periods of the view whose table is not offered at all (DATA-CONTRACT 8.8): pages say so in a line.
    cells.attrs["withheld"] = _withheld(ref, view, subset)
    return cells


def _withheld(ref: SnapshotRef, view: View, subset: str) -> list[str]:
    try:
        rows = data.public_query(
            ref, "withheld_periods", measure=view.measure, subset=subset, dim1=view.dim1, dim2=view.dim2,
            kinds=view.kinds, first_year=view.first_year, last_year=view.last_year,
        )  # fmt: skip
    except duckdb.BinderException:  # a snapshot from before protection stored its reasons
        return []
    return [str(y) if k == "Y" else f"{y}{k}" for y, k in zip(rows["year"], rows["kind"], strict=True)]


def offered(ref: SnapshotRef) -> pd.DataFrame:
    """The tables the snapshot offers (measure, subset, dim1, dim2, kind, year): what pickers may list."""
    return data.public_query(ref, "offered_tables")


_DTYPES = {
    "period": "string",
    "year": "int64",
    "kind": "string",
    "code1": "string",
    "code2": "string",
    "value": "Int64",
    "flag": "string",
    "members": "int64",
}


def _finish(cells: pd.DataFrame) -> pd.DataFrame:
    out = cells[COLUMNS].reset_index(drop=True).copy()
    out["value"] = pd.array(out["value"], dtype="Int64")
    out["flag"] = out["flag"].fillna("").astype("string")
    out["members"] = out["members"].astype("int64")
    out["year"] = out["year"].astype("int64")
    return out


def _cells(ref: SnapshotRef, view: View, subset: str, margins: bool) -> pd.DataFrame:
    threshold = get_settings().disclosure_threshold
    params = {
        "measure": view.measure,
        "subset": subset,
        "dim1": view.dim1,
        "dim2": view.dim2,
        "kinds": view.kinds,
        "first_year": view.first_year,
        "last_year": view.last_year,
        "margins": margins,
    }
    if _stored_threshold(ref) == threshold:
        return data.public_query(ref, "published_cells", **params)
    if is_preview(get_settings(), ref.path):  # a private preview never enters a cache sessions share
        cells = _protect_again(str(ref.path), threshold)
    else:
        cells = _protected_again(str(ref.path), threshold)
    inner = ((cells["dim1"] == TOTAL) | (cells["code1"] != TOTAL)) & (
        (cells["dim2"] == TOTAL) | (cells["code2"] != TOTAL)
    )
    offered = cells["reason"].isna() | ~cells["reason"].isin(WITHHOLDING)
    chosen = offered & (
        (cells["measure"] == view.measure)
        & (cells["subset"] == subset)
        & (cells["dim1"] == view.dim1)
        & (cells["dim2"] == view.dim2)
        & cells["kind"].isin(view.kinds)
        & cells["year"].between(view.first_year, view.last_year)
        & (inner | margins)
    )
    return cells[chosen].sort_values(["year", "kind", "code1", "code2"])


def _stored_threshold(ref: SnapshotRef) -> int | None:
    """The threshold the snapshot was protected with (None: it predates stored protection)."""
    try:
        meta = data.public_query(ref, "disclosure_meta")
    except duckdb.CatalogException:
        return None
    return int(meta["threshold"].iloc[0]) if not meta.empty else None


@st.cache_data(max_entries=8, show_spinner=False)
def _protected_again(path: str, threshold: int) -> pd.DataFrame:
    """A published snapshot protected at another threshold: public, so shared between sessions."""
    return _protect_again(path, threshold)


def _protect_again(path: str, threshold: int) -> pd.DataFrame:
    """The snapshot protected anew at `threshold`, against the retained versions before it (every measure)."""
    settings = get_settings()
    version = _version_of(Path(path))
    return disclosure.protect_snapshot(Path(path), threshold, snapshots.earlier(settings, version))


def _version_of(path: Path) -> int:
    with snapshots.open_snapshot(path) as con:
        row = con.execute("SELECT version FROM meta").fetchone()
    return int(row[0]) if row else 0


def _levels(ref: SnapshotRef, measure: str) -> list[Level]:
    try:
        rows = data.public_query(ref, "like_for_like_levels", measure=measure)
    except duckdb.CatalogException:
        return []
    return [
        Level(measure, str(group["family"].iloc[0]), int(group["first_year"].iloc[0]), frozenset(group["org_code"]))
        for _, group in rows.groupby("subset", sort=False)
    ]


def _level(ref: SnapshotRef, view: View) -> Level | None:
    if view.dim2 != TOTAL:  # like-for-like levels publish totals and one-dimension breakdowns only
        return None
    periods = data.public_query(ref, "measure_periods", measure=view.measure)
    shown = periods[periods["kind"].isin(view.kinds) & periods["year"].between(view.first_year, view.last_year)]
    if shown.empty:
        return None
    return choose(_levels(ref, view.measure), view.measure, view.half_years, int(shown["year"].min()))


def like_for_like_starts(ref: SnapshotRef, view: View) -> list[int]:
    """The years a like-for-like group of the view's measure starts in: a span starting in one of them
    or later has a like-for-like table (none for a cross)."""
    if view.dim2 != TOTAL:
        return []
    family = "H" if view.half_years else "Y"
    return sorted({lv.first_year for lv in _levels(ref, view.measure) if lv.family == family})


def like_for_like_members(ref: SnapshotRef, view: View) -> list[str]:
    """The members of the like-for-like group a view uses ([] when none can be offered).

    The group holds members that reported every period from its first year to the
    latest published period, so every period the view shows (etl.disclosure.subsets).
    """
    level = _level(ref, view)
    return sorted(level.members) if level is not None else []


def shares(parts: pd.DataFrame, totals: pd.DataFrame) -> pd.DataFrame:
    """`parts` with a `share` column: whole percent of the period's total, or <NA>.

    A share is shown only when its denominator (the visible total of the same
    period) is at least 10 and its numerator is visible (DATA-CONTRACT 8.4). Use
    the breakdown's own total (`network(..., margins=True)`, code `_T`) as `totals`
    when not every member reports the breakdown.
    """
    denominators = totals.drop_duplicates("period").set_index("period")["value"]
    denominator = parts["period"].map(denominators).astype("Float64")
    usable = parts["value"].notna() & denominator.notna() & (denominator >= SHARE_MIN_DENOMINATOR)
    exact = parts["value"].astype("float64") * 100 / denominator.astype("float64")
    percent = np.floor(exact + 0.5)  # half up, as statistics offices round: 12.5 -> 13
    return parts.assign(share=pd.Series(percent, index=parts.index).where(usable).astype("Int64"))


def restricted(ref: SnapshotRef, caller: Caller, org_code: str, view: View) -> pd.DataFrame:
    """Exact figures of one organisation, for its own people and the coordinator only.

    Never cached: the query runs for this caller each time. The difference from the
    network's figures is the rest of the network; published cells are already hidden
    wherever one member's own count would leave the rest with 1..threshold-1 persons.
    """
    require(caller, *OWN_FIGURES, action="restricted_figures")
    if not caller.may_see_exact(org_code):
        raise AccessDenied("restricted_figures")
    raw = data.run_query(
        ref.path,
        "network_cells",
        measure=view.measure,
        dim1=view.dim1,
        dim2=view.dim2,
        kinds=view.kinds,
        first_year=view.first_year,
        last_year=view.last_year,
        orgs=[org_code],
    )
    flags = raw["data_flags"].fillna("").str.lower().str.replace("r", "", regex=False)
    return _finish(raw.assign(flag=flags, value=raw["value"].astype("Int64")))


def display(frame: pd.DataFrame, lang: str) -> pd.Series:
    """The text a person sees for each cell ("<5" for a small count, "x" for a protected one, ".." not available)."""
    threshold = get_settings().disclosure_threshold
    return pd.Series(
        [disclosure.display_text(v, f, threshold, lang) for v, f in zip(frame["value"], frame["flag"], strict=True)],
        index=frame.index,
        dtype="string",
    )


def legend(frame: pd.DataFrame, lang: str) -> str | None:
    """The symbols line for a chart, table or export made from `frame` (None: nothing to explain)."""
    return disclosure.legend(frame, lang)
