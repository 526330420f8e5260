"""The Trends page's filters, each bound to the URL (codes, not labels)."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import streamlit as st

from dashboard.components import filters
from dashboard.presenting import series
from dashboard.reading import protected, vocabulary
from dashboard.view import PageContext
from etl.codebook import TOTAL
from etl.i18n import t


def what(ctx: PageContext) -> protected.View:
    """Measure (?m=), breakdown (?b=) and, for a total, years or half-years (?p=)."""
    lang, vocab = ctx.lang, ctx.vocab
    left, right = st.columns(2)
    measure = filters.choice(
        t("trends.measure", lang), vocab.measure_codes(), "m", "PERS_NEW",
        lambda m: vocab.measure_label(m, lang), widget=left.selectbox,
    )  # fmt: skip
    offered = protected.offered_breakdowns(ctx.snapshot, measure)  # a table protection hides whole is not offered
    codes = [vocabulary.breakdown_code(pair) for pair in vocab.breakdowns(measure) if pair in offered]
    codes = codes or [vocabulary.breakdown_code((TOTAL, TOTAL))]
    total = t("trends.no_breakdown", lang)
    breakdown = filters.choice(
        t("trends.breakdown", lang), codes, "b", codes[0],
        lambda code: vocabulary.breakdown_label(code, vocab, lang, total), widget=right.selectbox,
    )  # fmt: skip
    dim1, dim2 = vocabulary.breakdown_pair(breakdown)
    halves = protected.offers_half_years(ctx.snapshot, measure, dim1, dim2)
    half_years = _period(lang, halves) == "H"
    return protected.View(measure, dim1, dim2, half_years=half_years)


def _period(lang: str, halves: bool) -> str:
    """Years or half-years (?p=); the control stays where only years are published, and says so."""
    return str(
        filters.choice(
            t("trends.period", lang), ["Y", "H"] if halves else ["Y"], "p", "Y",
            lambda k: t(f"trends.period_{k}", lang), widget=st.segmented_control,
            help=None if halves else t("trends.period_years_only", lang),
        )
    )  # fmt: skip


def span(ctx: PageContext, view: protected.View, years: list[int]) -> protected.View:
    """The years shown (?y=first,last) and like-for-like (?lfl=1)."""
    first, last = filters.year_range(t("common.years", ctx.lang), years, "y")
    like_for_like = filters.switch(
        t("trends.like_for_like", ctx.lang), "lfl", help_key="trends.like_for_like_help", lang=ctx.lang
    )
    view = replace(view, first_year=first, last_year=last, like_for_like=like_for_like)
    if like_for_like:  # which spans have a like-for-like group: one starting in its first year or before
        starts = ", ".join(map(str, protected.like_for_like_starts(ctx.snapshot, view)))
        st.caption(t("trends.lfl_starts", ctx.lang, years=starts) if starts else t("trends.lfl_none", ctx.lang))
    return view


def series_shown(
    ctx: PageContext, view: protected.View, frame: pd.DataFrame
) -> tuple[pd.DataFrame, str, str, list[str]]:
    """The series of the breakdown, with a `code` column: for a cross, the codes of dim2 within one
    code of dim1 (?c=). Many series are offered as a choice (?s=). Returns (every series, their
    dimension, code of dim1, the codes to draw)."""
    code1 = ""
    if view.dim2 != TOTAL:
        firsts = series.codes_by_size(frame, "code1") or [""]
        code1 = filters.choice(
            ctx.vocab.dimension_label(view.dim1, ctx.lang), firsts, "c", firsts[0], ctx.namer(view.dim1)
        )
        frame, dimension = frame[frame["code1"] == code1].assign(code=lambda f: f["code2"]), view.dim2
    else:
        frame, dimension = frame.assign(code=frame["code1"]), view.dim1
    codes = series.codes_by_size(frame, "code")
    if len(codes) > series.MAX_SERIES:
        default = codes[: series.MAX_SERIES - 1]
        codes = filters.several(t("trends.series", ctx.lang), codes, "s", default, ctx.namer(dimension))
    return frame, dimension, code1, list(codes)


def drawing(ctx: PageContext, shareable: bool) -> tuple[bool, str]:
    """Counts or shares (?u=pct, offered only for several series) and lines or stacked bars (?g=bars)."""
    lang = ctx.lang
    left, right = st.columns(2)
    share = shareable and filters.choice(
        t("trends.unit", lang), ["n", "pct"], "u", "n", lambda u: t(f"trends.unit_{u}", lang),
        widget=left.segmented_control,
    ) == "pct"  # fmt: skip
    mode = filters.choice(
        t("trends.chart", lang), ["line", "bars"], "g", "line", lambda g: t(f"trends.chart_{g}", lang),
        widget=(right if shareable else left).segmented_control,  # no empty column where shares are not offered
    )  # fmt: skip
    return share, str(mode)
