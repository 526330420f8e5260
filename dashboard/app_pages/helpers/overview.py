"""The Overview's headline figures: pure functions of protected frames, texts in the reader's language."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from dashboard.presenting import series, tables, theme
from etl.i18n import t

IN_FINLAND = ("FI", "BOTH")  # exploited in Finland, wholly or after it started abroad
MINORS = "Y0_17"


@dataclass(frozen=True)
class Headline:
    label: str
    value: str
    delta: str | None = None
    help: str | None = None
    arrow: bool = True  # False: the delta is a caption (e.g. which form), not a change
    note: str | None = None  # a sentence under the cards (a card's delta is cut at its width)


def new_clients(yearly: pd.DataFrame, lang: str) -> Headline:
    """New clients in the latest year and the change from the year before (when both are shown); when
    another number of members reported the year before, the change says so (it is partly theirs)."""
    latest = yearly.iloc[-1]
    year = int(latest["year"])
    before = yearly[yearly["year"] == year - 1]
    delta = note = None
    if not before.empty and pd.notna(latest["value"]) and pd.notna(before.iloc[0]["value"]):
        change = int(latest["value"]) - int(before.iloc[0]["value"])
        sign = "+" if change > 0 else ("−" if change < 0 else "±")
        delta = t("overview.delta", lang, change=f"{sign}{theme.format_int(abs(change), lang)}", year=str(year - 1))
        members, members_before = int(latest["members"]), int(before.iloc[0]["members"])
        if members != members_before:
            note = t(
                "overview.members_changed", lang, year=str(year), before_year=str(year - 1),
                members=str(members), before=str(members_before),
            )  # fmt: skip
    return Headline(
        t("overview.metric_latest", lang, year=str(year)),
        str(latest["display"]),
        delta,
        t("overview.metric_help", lang, count=int(latest["members"])),
        note=note,
    )


def share_of(frame: pd.DataFrame, code: str, label: str, help_text: str, lang: str) -> Headline:
    """The share of one code in a breakdown that carries gate.shares' `share` column."""
    row = frame[frame["code1"] == code]
    share = row.iloc[0]["share"] if not row.empty else pd.NA
    return Headline(label, tables.share_text(share, lang), help=help_text)


def in_finland(places: pd.DataFrame, threshold: int) -> tuple[int, int] | None:
    """Share exploited in Finland, from the published place margin of one year (series.cross_margin)."""
    bounds = series.group_bounds(
        places,
        "code1",
        {"part": IN_FINLAND, "rest": set(places["code1"]) - set(IN_FINLAND)},
        threshold,
    )
    return series.bounded_share(bounds["part"], bounds["rest"])


def largest(frame: pd.DataFrame, labels: dict[str, str], lang: str) -> Headline:
    """The largest visible form (other and unknown aside) and its share."""
    shown = frame[frame["value"].notna() & ~frame["code1"].isin(["OTH", "UNK"])].sort_values("value", ascending=False)
    if shown.empty:
        return Headline(t("overview.metric_largest", lang), t("common.not_available", lang))
    top = shown.iloc[0]
    share = tables.share_text(top["share"], lang) if "share" in top and pd.notna(top["share"]) else top["display"]
    form = labels.get(top["code1"], top["code1"])
    return Headline(
        t("overview.metric_largest", lang),
        share,
        delta=form,
        help=t("overview.metric_largest_help", lang, form=form, count=top["display"]),
        arrow=False,
    )
