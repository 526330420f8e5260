"""The dashboard's disclosure gate: the only way pages get figures.

Member and public views call `network()` (and `shares()`), which return
protected tables only. Exact figures of one organisation need `restricted()`
with the caller, whose role is checked here, and are never cached across users.

Every returned frame has the columns
    period, year, kind, code1, code2, value, flag, members
where `value` is Int64 and <NA> when hidden or not collected, and `flag` is a
string of flag letters: c (small count), d (hidden to protect another cell),
p (provisional), e (estimated), b (break in series).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from dashboard import data
from etl import disclosure
from etl.access import Caller, Role, require
from etl.codebook import TOTAL
from etl.config import get_settings
from etl.snapshots import SnapshotRef

COLUMNS = ["period", "year", "kind", "code1", "code2", "value", "flag", "members"]


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


def _raw(ref: SnapshotRef, view: View, orgs: list[str] | None) -> pd.DataFrame:
    return data.run_query(
        ref.path,
        "network_cells",
        measure=view.measure,
        dim1=view.dim1,
        dim2=view.dim2,
        kinds=["H1", "H2"] if view.half_years else ["Y"],
        first_year=view.first_year,
        last_year=view.last_year,
        orgs=orgs,
    )


def like_for_like_members(ref: SnapshotRef, view: View) -> list[str]:
    """Members with a total for the measure in every period of the view."""
    cover = data.run_query(ref.path, "org_coverage", measure=view.measure)
    kinds = {"H1", "H2"} if view.half_years else {"Y"}
    cover = cover[cover["kind"].isin(kinds) & cover["year"].between(view.first_year, view.last_year)]
    periods = cover["period"].nunique()
    counts = cover.groupby("org_code")["period"].nunique()
    return sorted(counts[counts == periods].index)


def network(ref: SnapshotRef, view: View) -> pd.DataFrame:
    """Protected network figures for a view (all members, or like-for-like members)."""
    raw = _raw(ref, view, like_for_like_members(ref, view) if view.like_for_like else None)
    # Foundation version: threshold only. The disclosure issue replaces this body
    # with the full rules (secondary suppression, folding, joint subset protection).
    protected = disclosure.protect_counts(raw, get_settings().disclosure_threshold)
    return _finish(protected, raw)


def _finish(protected: pd.DataFrame, raw: pd.DataFrame) -> pd.DataFrame:
    flags = protected["flag"].fillna("") + raw["data_flags"].fillna("").str.lower()
    out = protected.assign(flag=flags, value=protected["value"].astype("Int64"))
    return out[COLUMNS].reset_index(drop=True)


SHARE_MIN_DENOMINATOR = 10  # DATA-CONTRACT 8.4


def shares(parts: pd.DataFrame, totals: pd.DataFrame) -> pd.DataFrame:
    """`parts` with a `share` column: whole percent of the period's total, or <NA>.

    A share is shown only when its denominator (the visible total of the same
    period) is at least 10 and its numerator is visible (DATA-CONTRACT 8.4).
    """
    denominators = totals.drop_duplicates("period").set_index("period")["value"]
    denominator = parts["period"].map(denominators).astype("Float64")
    usable = parts["value"].notna() & denominator.notna() & (denominator >= SHARE_MIN_DENOMINATOR)
    exact = parts["value"].astype("float64") * 100 / denominator.astype("float64")
    percent = np.floor(exact + 0.5)  # half up, as statistics offices round: 12.5 -> 13
    return parts.assign(share=pd.Series(percent, index=parts.index).where(usable).astype("Int64"))


def restricted(ref: SnapshotRef, caller: Caller, org_code: str, view: View) -> pd.DataFrame:
    """Exact figures of one organisation, for its own people and the coordinator only."""
    require(caller, Role.MEMBER, Role.REPORTER, Role.COORDINATOR, Role.ADMIN, action="restricted_figures")
    if not caller.may_see_exact(org_code):
        from etl.access import AccessDenied

        raise AccessDenied("restricted_figures")
    raw = _raw(ref, view, [org_code])
    return raw.assign(flag=raw["data_flags"].fillna("").str.lower(), value=raw["value"].astype("Int64"))[COLUMNS]


def display(frame: pd.DataFrame, lang: str) -> pd.Series:
    """The text a person sees for each cell ("<5" for a small count, ".." for not available)."""
    threshold = get_settings().disclosure_threshold
    return pd.Series(
        [disclosure.display_text(v, f, threshold, lang) for v, f in zip(frame["value"], frame["flag"], strict=True)],
        index=frame.index,
        dtype="string",
    )
