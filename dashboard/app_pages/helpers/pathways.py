"""Helpers of the Pathways page."""

from __future__ import annotations

import pandas as pd

from dashboard.app_pages.helpers.overview import Headline
from dashboard.presenting import series, tables
from etl.i18n import t

# Persons the Assistance System's own statistics do not count as its clients.
OUTSIDE = ("REFERRED_NOT_ADMITTED", "REFERRED_PENDING", "NOT_REFERRED_DECLINED", "NOT_REFERRED_OTHER")


def outside_assistance(frame: pd.DataFrame, threshold: int, lang: str) -> Headline:
    """New clients who were not (yet) in the Assistance System: a count (or range) and its share."""
    if frame.empty:
        return Headline("", t("common.not_available", lang))
    bounds = series.group_bounds(
        frame, "code1", {"part": OUTSIDE, "rest": set(frame["code1"]) - set(OUTSIDE)}, threshold
    )
    share = tables.share_range_text(series.bounded_share(bounds["part"], bounds["rest"]), lang)
    count = tables.bounds_text(bounds["part"], lang, threshold)
    return Headline(
        "", t("pathways.outside_value", lang, count=count, share=share), help=t("pathways.outside_help", lang)
    )
