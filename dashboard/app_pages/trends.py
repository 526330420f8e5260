"""Trends: any measure by any allowed breakdown over the years, as counts or shares."""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from dashboard import gate, series, specs, vocabulary
from dashboard.components import filters, page
from dashboard.components.chart import show
from dashboard.specs import Chart
from etl.codebook import TOTAL
from etl.i18n import t

ctx = page.start("trends.title", "trends.intro")
lang, vocab, snapshot = ctx.lang, ctx.vocab, ctx.snapshot

# Filters: what to count and how to break it down
left, right = st.columns(2)
measure = filters.choice(
    t("trends.measure", lang),
    vocab.measure_codes(),
    "m",
    "PERS_NEW",
    lambda m: vocab.measure_label(m, lang),
    widget=left.selectbox,
)
breakdowns = [vocabulary.breakdown_code(pair) for pair in vocab.breakdowns(measure)]
breakdown = filters.choice(
    t("trends.breakdown", lang),
    breakdowns,
    "b",
    breakdowns[0],
    lambda code: vocabulary.breakdown_label(code, vocab, lang, t("trends.no_breakdown", lang)),
    widget=right.selectbox,
)
dim1, dim2 = vocabulary.breakdown_pair(breakdown)
half_years = (
    dim1 == TOTAL
    and filters.choice(
        t("trends.period", lang),
        ["Y", "H"],
        "p",
        "Y",
        lambda k: t(f"trends.period_{k}", lang),
        widget=st.segmented_control,
    )
    == "H"
)

# Query: every period first (it gives the years to choose from), then the chosen span
view = gate.View(measure, dim1, dim2, half_years=half_years)
everything = gate.network(snapshot, view)
years = sorted(everything["year"].unique().tolist())
if not years:
    show(specs.Empty("trends.chart", vocab.measure_label(measure, lang), "", t("empty.no_data", lang)))
    page.footer(ctx)
    st.stop()
first, last = filters.year_range(t("common.years", lang), years, "y")
like_for_like = filters.switch(t("trends.like_for_like", lang), "lfl", help_key="trends.like_for_like_help", lang=lang)
chosen_view = replace(view, first_year=first, last_year=last, like_for_like=like_for_like)
frame = gate.network(snapshot, chosen_view) if like_for_like else everything[everything["year"].between(first, last)]
frame = specs.displayed(series.may_be_shown(frame, dim1), lang)

# Which series: a code of the first dimension for a cross, then the codes to draw
if dim2 != TOTAL:
    firsts = series.codes_by_size(frame, "code1") or [""]
    code1 = filters.choice(vocab.dimension_label(dim1, lang), firsts, "c", firsts[0], ctx.namer(dim1))
    denominators = gate.network(snapshot, replace(chosen_view, dim2=TOTAL))
    denominators = denominators[denominators["code1"] == code1]
    frame = frame[frame["code1"] == code1].assign(code=lambda f: f["code2"])
    series_dim = dim2
else:
    denominators = gate.network(snapshot, replace(chosen_view, dim1=TOTAL, dim2=TOTAL))
    frame = frame.assign(code=frame["code1"])
    series_dim = dim1
members = series.period_members(frame)
codes = series.codes_by_size(frame, "code")
if len(codes) > series.MAX_SERIES:
    shown = filters.several(t("trends.series", lang), codes, "s", codes[: series.MAX_SERIES - 1], ctx.namer(series_dim))
    frame = frame[frame["code"].isin(shown)]

# How to draw it
left, right = st.columns(2)
shareable = frame["code"].nunique() > 1 and not vocab.is_multi_response(measure)
share = (
    shareable
    and filters.choice(
        t("trends.unit", lang),
        ["n", "pct"],
        "u",
        "n",
        lambda u: t(f"trends.unit_{u}", lang),
        widget=left.segmented_control,
    )
    == "pct"
)
mode = filters.choice(
    t("trends.chart", lang),
    ["line", "bars"],
    "g",
    "line",
    lambda g: t(f"trends.chart_{g}", lang),
    widget=right.segmented_control,
)
if share:
    frame = gate.shares(frame, series.breakdown_denominators(frame, denominators))

# Figure
title = specs.trend_title(ctx, measure, dim1, dim2, code1 if dim2 != TOTAL else "")
extra = (
    [t("trends.lfl_note", lang, count=len(gate.like_for_like_members(snapshot, chosen_view)))] if like_for_like else []
)
if dim1 == "citizenship":
    extra.append(t("notes.countries", lang, threshold=str(ctx.threshold)))
show(
    specs.over_time(
        ctx,
        Chart("trends.chart", title, {"page": "trends"}, extra),
        frame,
        measure,
        series_dim,
        mode=mode,
        share=share,
        members=members,
    )
)
page.footer(ctx)
