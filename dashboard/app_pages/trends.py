"""Trends: any measure by any allowed breakdown over the years, as counts or shares."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import streamlit as st

from dashboard.components import page, trend_filters
from dashboard.components.chart import show
from dashboard.navigation import READERS
from dashboard.presenting import charts, series, specs
from dashboard.presenting.specs import Chart
from dashboard.reading import protected
from etl.codebook import TOTAL
from etl.i18n import t

ctx = page.start("trends.title", "trends.intro", roles=READERS)


@st.fragment
def trend() -> None:
    """Filters, query and chart; a changed filter reruns only this part of the page."""
    lang, snapshot = ctx.lang, ctx.snapshot
    # Filters: what to count, then the span (its choices come from the data)
    view = trend_filters.what(ctx)
    everything = protected.network(snapshot, view)
    years = sorted(everything["year"].unique().tolist())
    if not years:
        show(specs.Empty("trends.chart", ctx.vocab.measure_label(view.measure, lang), "", t("empty.no_data", lang)))
        return
    view = trend_filters.span(ctx, view, years)
    missing = _years_not_offered(view, years)

    # Query: the chosen span (like-for-like is its own protected table), the series to draw, their totals
    chosen = everything[everything["year"].between(view.first_year, view.last_year)]
    frame = protected.network(snapshot, view) if view.like_for_like else chosen
    if view.like_for_like and series.empty_reason(frame) is not None:  # nothing, or nothing but hidden cells
        show(specs.Empty("trends.chart", ctx.vocab.measure_label(view.measure, lang), "", _no_group(view)))
        return
    frame = charts.displayed(series.may_be_shown(frame, view.dim1), lang)
    every, dimension, code1, drawn = trend_filters.series_shown(ctx, view, frame)
    totals = protected.network(snapshot, replace(view, dim2=TOTAL) if view.dim2 != TOTAL else replace(view, dim1=TOTAL))
    totals = totals[totals["code1"] == code1] if view.dim2 != TOTAL else totals
    # The breakdown's own total, for the table files (groups one person can be in many of add up to none)
    own_total = pd.DataFrame()
    if view.dim1 != TOTAL and not ctx.vocab.is_multi_response(view.measure):
        margins = protected.network(snapshot, view, margins=True)
        own_total = charts.displayed(series.breakdown_total(margins, code1 or TOTAL), lang)
    draw(view, every, drawn, totals, own_total, dimension, code1, missing)


def _years_not_offered(view: protected.View, years: list[int]) -> list[int]:
    """Years of the span with the measure's total but without this breakdown's table (not offered)."""
    if view.dim1 == TOTAL or view.like_for_like:
        return []
    measure = protected.network(ctx.snapshot, replace(view, dim1=TOTAL, dim2=TOTAL))
    return series.years_not_offered(measure["year"].unique().tolist(), years, view.first_year, view.last_year)


def _no_group(view: protected.View) -> str:
    """Why a like-for-like view shows nothing: no group at all, a span that does not start with a group (its
    older group's figures over a part of its years are hidden), or the group's table is not offered."""
    starts = protected.like_for_like_starts(ctx.snapshot, view)
    if not starts:
        return t("trends.lfl_none", ctx.lang)
    if view.first_year not in starts:
        return t("trends.lfl_empty", ctx.lang, years=", ".join(map(str, starts)))
    return t("disclosure.like_for_like_unavailable", ctx.lang)


@st.fragment
def draw(
    view: protected.View,
    every: pd.DataFrame,
    drawn: list[str],
    totals: pd.DataFrame,
    own_total: pd.DataFrame,
    dimension: str,
    code1: str,
    missing: list[int],
) -> None:
    """How to draw it, and the chart; changing only that reruns only this part."""
    lang, snapshot = ctx.lang, ctx.snapshot
    frame = every[every["code"].isin(drawn)]
    members = series.period_members(frame)
    shareable = frame["code"].nunique() > 1 and not ctx.vocab.is_multi_response(view.measure)
    share, mode = trend_filters.drawing(ctx, shareable)
    denominators = series.breakdown_denominators(every, totals)
    if share:  # shares of the whole breakdown, whichever groups are drawn
        every = protected.shares(every, denominators)
        frame = every[every["code"].isin(drawn)]
    # The groups left out, as one series: a stack of the drawn ones and these is the whole breakdown
    rest = charts.displayed(series.other_groups(pd.concat([own_total, every]), drawn, ctx.threshold), lang)
    if not rest.empty:
        frame = pd.concat([frame, protected.shares(rest, denominators) if share else rest], ignore_index=True)

    # Figure
    notes = []
    if view.like_for_like:
        notes.append(t("trends.lfl_note", lang, count=len(protected.like_for_like_members(snapshot, view))))
    if missing:
        notes.append(t("trends.years_not_offered", lang, years=", ".join(map(str, missing))))
    if view.dim1 == series.COUNTRY_DIMENSION:
        notes.append(t("notes.countries", lang, threshold=str(ctx.threshold)))
    title = specs.trend_title(ctx, view.measure, view.dim1, view.dim2, code1)
    chart = Chart("trends.chart", title, page.state("trends"), notes)
    whole = pd.concat([own_total, every]) if not own_total.empty else every
    shown = charts.over_time(
        ctx, chart, frame, view.measure, dimension, mode=mode, share=share, members=members, every=whole
    )
    show(shown)


trend()
page.footer(ctx)
