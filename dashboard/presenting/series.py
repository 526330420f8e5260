"""Pure helpers that shape the gate's protected frames for pages: no queries, no st.*.

Everything here works on what the gate returned, so nothing here can reveal a
hidden cell. Sums over parts of a protected table ("women" = women of every adult
age group, "exploited in Finland" = every form in Finland) are given as the
range an outsider could derive from the published cells anyway: exact when
every part is visible, a range when a part is a small count (known to lie
between 1 and threshold - 1), and unknown when a part is hidden for another
reason. See `bounded_sum`.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass

import pandas as pd

from etl.codebook import TOTAL

HIDING_FLAGS = ("c", "d")  # hidden by protection: small count, hidden to protect another cell
SMALL_FLAG = "c"
SHARE_MIN_DENOMINATOR = 10  # DATA-CONTRACT 8.4


def hidden_mask(frame: pd.DataFrame) -> pd.Series:
    """Cells hidden by protection (not "not collected")."""
    flags = frame["flag"].fillna("").astype(str)
    return flags.str.contains("|".join(HIDING_FLAGS), regex=True) & frame["value"].isna()


def flag_letters(*frames: pd.DataFrame) -> set[str]:
    """Every flag letter in the frames (c, d, p, e, r, b ...)."""
    letters: set[str] = set()
    for frame in frames:
        if frame is not None and not frame.empty and "flag" in frame:
            for flags in frame["flag"].dropna().astype(str):
                letters.update(flags)
    return letters


def empty_reason(frame: pd.DataFrame) -> str | None:
    """Why a chart of this frame would be empty (a message key), or None when there is something to show."""
    if frame.empty:
        return "empty.not_offered" if frame.attrs.get("withheld") else "empty.no_data"
    if frame["value"].notna().any():
        return None
    if hidden_mask(frame).any():
        return "empty.all_hidden"
    return "empty.nobody_reported"


def cross_margin(cross: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A cross's published margin over its first dimension, as a breakdown of its second, and its total.

    `cross` is a gate frame with margins (code1 `_T`): e.g. the place split of form x place,
    which is published only as that margin, exactly as protected (never summed from the cells).
    """
    margin = cross[(cross["code1"] == TOTAL) & (cross["code2"] != TOTAL)]
    total = cross[(cross["code1"] == TOTAL) & (cross["code2"] == TOTAL)]
    return margin.assign(code1=margin["code2"], code2=TOTAL).reset_index(drop=True), total.reset_index(drop=True)


def inner_cells(cross: pd.DataFrame) -> pd.DataFrame:
    """A cross's cells without its margins (a gate frame asked for with margins)."""
    return cross[(cross["code1"] != TOTAL) & (cross["code2"] != TOTAL)].reset_index(drop=True)


def latest_year(frame: pd.DataFrame) -> int | None:
    years = frame.loc[frame["kind"] == "Y", "year"]
    return int(years.max()) if not years.empty else None


def period_members(frame: pd.DataFrame) -> pd.DataFrame:
    """Members reporting each period of a table: the most members behind any of its cells.

    A breakdown needs the total of the same member, so the members behind a
    breakdown are a subset of those behind the total; the largest cell count
    is how many sent the breakdown.
    """
    if frame.empty:
        return pd.DataFrame({"period": [], "year": [], "kind": [], "members": []})
    grouped = frame.groupby(["period", "year", "kind"], as_index=False, sort=False)["members"].max()
    return grouped.sort_values(["year", "kind"]).reset_index(drop=True)


def breakdown_denominators(parts: pd.DataFrame, totals: pd.DataFrame) -> pd.DataFrame:
    """The denominator of each period's shares within one breakdown: period, value (Int64, <NA> when unknown).

    The network total when the same members sent the breakdown as the total;
    otherwise the breakdown's own sum when every cell of it is visible; otherwise
    unknown (the share is then not shown).
    """
    members = period_members(parts).set_index("period")["members"]
    total_by_period = totals.drop_duplicates("period").set_index("period")
    rows = []
    for period, cells in parts.groupby("period", sort=False):
        value: object = pd.NA
        total = total_by_period.loc[period] if period in total_by_period.index else None
        if total is not None and int(total["members"]) == int(members[period]) and pd.notna(total["value"]):
            value = int(total["value"])
        elif cells["value"].notna().all() and not hidden_mask(cells).any():
            value = int(cells["value"].sum())
        rows.append({"period": period, "value": value})
    return pd.DataFrame(rows, columns=["period", "value"]).astype({"value": "Int64"})


def measure_denominators(totals: pd.DataFrame, same_reporters: set[str]) -> pd.DataFrame:
    """Totals of another measure usable as denominators: only periods where the same members reported both."""
    out = totals[["period", "value"]].copy()
    out["value"] = out["value"].where(out["period"].isin(same_reporters)).astype("Int64")
    return out.reset_index(drop=True)


@dataclass(frozen=True)
class Bounds:
    """What the published cells say about a sum: low <= sum <= high (high None: no upper bound known)."""

    low: int
    high: int | None

    @property
    def exact(self) -> bool:
        return self.high is not None and self.low == self.high


def bounded_sum(values: Sequence[object], flags: Sequence[object], threshold: int) -> Bounds:
    """The range of a sum of protected cells an outsider can derive from what is shown.

    Visible cells count exactly; a small count (flag c) lies in 1..threshold-1;
    any other hidden cell is unbounded. A cell that nobody reported adds nothing.
    """
    low, high = 0, 0
    bounded = True
    for value, flag in zip(values, flags, strict=True):
        letters = flag if isinstance(flag, str) else ""
        if value is not None and value is not pd.NA and not (isinstance(value, float) and math.isnan(value)):
            low += int(value)  # type: ignore[call-overload]
            high += int(value)  # type: ignore[call-overload]
        elif SMALL_FLAG in letters:
            low += 1
            high += threshold - 1
        elif any(letter in letters for letter in HIDING_FLAGS):
            bounded = False
    return Bounds(low, high if bounded else None)


def group_bounds(
    frame: pd.DataFrame, column: str, groups: dict[str, Iterable[str]], threshold: int
) -> dict[str, Bounds]:
    """Bounds of the sum of the cells whose `column` is in each group (one period's frame)."""
    out = {}
    for name, codes in groups.items():
        cells = frame[frame[column].isin(list(codes))]
        out[name] = bounded_sum(cells["value"].tolist(), cells["flag"].tolist(), threshold)
    return out


def bounded_share(part: Bounds, rest: Bounds) -> tuple[int, int] | None:
    """Whole-percent range of part / (part + rest), or None when it cannot be shown.

    Shown only when the denominator is surely >= 10 and both ends are bounded.
    The true share lies between the ends, so when they round alike the
    rounded share is exact.
    """
    if part.high is None or rest.high is None or part.low + rest.low < SHARE_MIN_DENOMINATOR:
        return None
    return _percent(part.low, part.low + rest.high), _percent(part.high, part.high + rest.low)


def _percent(part: int, whole: int) -> int:
    """part / whole in whole percent, half up, in integers: 46/80 is 57.5 and 58 (floats give 57.4999...)."""
    return (200 * part + whole) // (2 * whole) if whole else 0


MAX_SERIES = 7  # more lines than this are offered as a choice, the largest six by default
COUNTRY_DIMENSION = "citizenship"
FOLDED_COUNTRIES = ("OTH_EU", "OTH_NON_EU")  # countries under the threshold, folded by citizenship group
LAST_CODES = ("OTH", *FOLDED_COUNTRIES, "X", "UNK")


def may_be_shown(frame: pd.DataFrame, dim1: str) -> pd.DataFrame:
    """Drop what may not even be named: a country with a hidden count (DATA-CONTRACT 8.3).

    Listing a country with "<5" would tell that it had 1-4 clients; such
    countries belong to "other" of their citizenship group, so their hidden
    cells are left out rather than marked.
    """
    if dim1 != COUNTRY_DIMENSION:
        return frame
    return frame[~hidden_mask(frame)].reset_index(drop=True)


def codes_by_size(frame: pd.DataFrame, column: str) -> list[str]:
    """The codes in a frame, largest visible value in the latest period first; other and unknown last."""
    if frame.empty:
        return []
    last = frame.sort_values(["year", "kind"])["period"].iloc[-1]
    latest = frame[frame["period"] == last].groupby(column)["value"].sum(min_count=1)
    overall = frame.groupby(column)["value"].sum(min_count=1)
    codes = list(dict.fromkeys(frame[column]))

    def size(code: str) -> tuple[int, float, float]:
        now = latest.get(code, pd.NA)
        ever = overall.get(code, pd.NA)
        return (
            LAST_CODES.index(code) + 1 if code in LAST_CODES else 0,
            -float(now) if pd.notna(now) else 1.0,
            -float(ever) if pd.notna(ever) else 1.0,
        )

    return sorted(codes, key=size)


def breakdown_total(margins: pd.DataFrame, code1: str = TOTAL) -> pd.DataFrame:
    """A breakdown's own total per period as series `_T`, from `network(..., margins=True)`: a one-way
    table's (_T, _T) cells, or for the groups within `code1` of a cross, its (code1, _T) cells."""
    return margins[(margins["code1"] == code1) & (margins["code2"] == TOTAL)].assign(code=TOTAL)


OTHER_GROUPS = "_OTHER"  # the groups a chart leaves out, drawn as one series so that a stack is the whole


def other_groups(every: pd.DataFrame, drawn: Collection[str], threshold: int) -> pd.DataFrame:
    """Everything a chart of `drawn` groups leaves out, as one series: the breakdown's total (`_T`) minus
    the drawn groups that are visible, so that a stack of the drawn groups and this one is the whole.

    It holds the groups not drawn and the drawn ones that are hidden. Arithmetic on published
    figures only (the total and visible cells; anyone with the table works it out), so it tells
    nothing new. Left out where the total is hidden, for a breakdown without a total of its own
    (groups one person can be in many of), and where it is 1..threshold-1: drawn like a cell, it
    would read as a small count the rules hide.
    """
    whole = every[(every["code"] == TOTAL) & every["value"].notna()]
    visible = every[every["code"].isin(drawn) & every["value"].notna()]
    if whole.empty or TOTAL in drawn:  # a chart of the total itself leaves nothing out
        return every.iloc[0:0]
    drawn_sum = visible.groupby("period")["value"].sum()
    rest = whole.drop_duplicates("period").copy()
    rest["value"] = rest["value"].astype("int64") - rest["period"].map(drawn_sum).fillna(0).astype("int64")
    rest["code"], rest["flag"] = OTHER_GROUPS, ""
    kept = (rest["value"] == 0) | (rest["value"] >= threshold)
    return rest[kept].astype({"value": "Int64"}).reset_index(drop=True)


def in_code_order(frame: pd.DataFrame, orders: dict[str, list[str]]) -> pd.DataFrame:
    """Rows in codebook order of the given columns (codes the codebook does not know go last)."""
    if frame.empty:
        return frame
    keys = []
    for column, order in orders.items():
        rank = {code: position for position, code in enumerate(order)}
        keys.append(frame[column].map(rank).fillna(len(order)))
    sort_columns = [f"_rank{i}" for i in range(len(keys))]
    ranked = frame.assign(**dict(zip(sort_columns, keys, strict=True)))
    by = (["year", "kind"] if "year" in frame else []) + sort_columns
    return ranked.sort_values(by, kind="stable").drop(columns=sort_columns).reset_index(drop=True)


def years_not_offered(measure_years: Iterable[int], shown_years: Iterable[int], first: int, last: int) -> list[int]:
    """Years of the span the measure has figures for and the breakdown none: its table is not offered
    (too few members reported it, or protection would hide all of it). The chart leaves them out; a note names them."""
    shown = set(shown_years)
    return sorted(int(year) for year in set(measure_years) if first <= year <= last and year not in shown)
