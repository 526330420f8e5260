"""Turn the gate's protected frames into FigureSpecs (or a reason there is nothing to show).

Pure: no st.*, no queries. Pages call the gate, then one of these, then
components.chart.show. Every spec carries the table of the same numbers, a
one-sentence summary from them, and its notes (caveat, breaks, notes on periods, legend).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
import plotly.graph_objects as go

from dashboard.presenting import notes, series, tables, theme
from dashboard.presenting.figure_spec import FigureSpec
from dashboard.presenting.figures import bars, trend
from dashboard.presenting.figures import reference as reference_figures
from dashboard.reading import gate
from dashboard.view import PageContext
from etl.codebook import TOTAL
from etl.i18n import t


@dataclass
class Empty:
    """A chart that has nothing to draw, and why (shown instead of an empty axis)."""

    figure_id: str
    title: str
    subtitle: str
    reason: str


@dataclass
class Chart:
    """What a page asks for, besides the data: id, title, the URL state that reproduces it."""

    figure_id: str
    title: str
    view: dict[str, str] = field(default_factory=dict)
    extra_notes: list[str] = field(default_factory=list)


def colours(ctx: PageContext, dimension: str) -> dict[str, str]:
    """Category colours; a dimension longer than the palette (countries) is drawn in one colour."""
    order = ctx.vocab.code_order(dimension)
    if len(order) > len(theme.CATEGORY_COLOURS) + 2:
        return dict.fromkeys(order, theme.NETWORK)
    return theme.category_colours(order)


def displayed(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The frame with the text a person sees for each cell."""
    return frame.assign(display=gate.display(frame, lang))


def with_shares(parts: pd.DataFrame, totals: pd.DataFrame) -> pd.DataFrame:
    """Shares of a breakdown in its period's total, where the gate allows them (see series.breakdown_denominators)."""
    if parts.empty:
        return parts.assign(share=pd.array([], dtype="Int64"))
    return gate.shares(parts, series.breakdown_denominators(parts, totals))


def members_text(members: pd.DataFrame, lang: str) -> str:
    counts = members["members"].astype(int) if not members.empty else pd.Series(dtype=int)
    if counts.empty:
        return ""
    low, high = int(counts.min()), int(counts.max())
    if low == high:
        return t("specs.members", lang, count=low)
    return t("specs.members_range", lang, low=str(low), high=str(high))


def span_text(frame: pd.DataFrame, lang: str) -> str:
    periods = frame.drop_duplicates("period").sort_values(["year", "kind"])
    labels = tables.period_labels(periods, lang)
    return labels[0] if len(labels) == 1 else f"{labels[0]}–{labels[-1]}"


def subtitle(ctx: PageContext, measure: str, span: str, members: pd.DataFrame, what: str = "") -> str:
    parts = [what or ctx.vocab.measure_label(measure, ctx.lang), span, members_text(members, ctx.lang)]
    return " · ".join(part for part in parts if part)


def remarks_of(ctx: PageContext, measure: str, frame: pd.DataFrame) -> pd.DataFrame:
    """The notes on periods for the measure in the years `frame` covers: every chart of such a year carries them."""
    return ctx.remarks(measure, frame["year"].dropna().unique())


def empty_or_none(chart: Chart, frame: pd.DataFrame, sub: str, lang: str) -> Empty | None:
    reason = series.empty_reason(frame)
    return Empty(chart.figure_id, chart.title, sub, t(reason, lang)) if reason else None


def framed(
    ctx: PageContext, chart: Chart, frame: pd.DataFrame, measure: str, members: pd.DataFrame, what: str = ""
) -> tuple[str, Empty | None]:
    """A chart's subtitle, and the Empty to show instead when its frame has nothing to draw."""
    sub = subtitle(ctx, measure, span_text(frame, ctx.lang) if not frame.empty else "", members, what)
    return sub, empty_or_none(chart, frame, sub, ctx.lang)


def spec(
    ctx: PageContext,
    chart: Chart,
    sub: str,
    members: pd.DataFrame,
    *,
    measure: str,
    dimensions: tuple[str, ...],
    figure: go.Figure,
    table: pd.DataFrame,
    summary: str,
    notes: list[str],
    numbers: pd.DataFrame | None = None,
) -> FigureSpec:
    """A chart's own parts, with what every chart carries: id, title, data version, language, view, members."""
    return FigureSpec(
        figure_id=chart.figure_id,
        title=chart.title,
        subtitle=sub,
        figure=figure,
        table=table,
        summary=summary,
        snapshot=ctx.snapshot,
        lang=ctx.lang,
        notes=notes,
        view=chart.view,
        members_reported=members_text(members, ctx.lang),
        measure=measure,
        dimensions=dimensions,
        numbers=numbers,
    )


def breakdown(
    ctx: PageContext, chart: Chart, frame: pd.DataFrame, measure: str, dimension: str, share_axis: bool = False
) -> FigureSpec | Empty:
    """Bars of one period's breakdown (`frame`: the gate's cells of that period with display and share)."""
    lang = ctx.lang
    members = series.period_members(frame)
    sub, empty = framed(ctx, chart, frame, measure, members)
    if empty is not None:
        return empty
    labels = ctx.labels(dimension)
    palette = colours(ctx, dimension)
    rows = bars.sort_for_bars(frame)
    table = tables.by_code(
        rows,
        lang,
        ctx.vocab.dimension_label(dimension, lang),
        ctx.vocab.measure_label(measure, lang),
        ctx.namer(dimension),
    )
    unit = ctx.vocab.unit(measure)
    return spec(
        ctx,
        chart,
        sub,
        members,
        measure=measure,
        dimensions=(dimension,),
        figure=bars.breakdown_bars(
            frame, labels, palette, lang, ctx.threshold, share=share_axis, axis_title=t(f"figures.axis_{unit}", lang)
        ),
        table=table,
        summary=bars.breakdown_summary(frame, labels, lang, span_text(frame, lang)),
        notes=notes.chart_notes(
            lang,
            ctx.threshold,
            [frame],
            remarks=remarks_of(ctx, measure, frame),
            unit=unit,
            multi_response=ctx.vocab.is_multi_response(measure),
            extra=chart.extra_notes,
        ),
    )


def cross(
    ctx: PageContext, chart: Chart, frame: pd.DataFrame, measure: str, dim1: str, dim2: str
) -> FigureSpec | Empty:
    """Stacked bars of one period's cross of two dimensions."""
    lang = ctx.lang
    members = series.period_members(frame)
    sub, empty = framed(ctx, chart, frame, measure, members)
    if empty is not None:
        return empty
    labels1, labels2 = ctx.labels(dim1), ctx.labels(dim2)
    frame = series.in_code_order(frame, {"code1": ctx.vocab.code_order(dim1), "code2": ctx.vocab.code_order(dim2)})
    table = tables.cross_table(frame, lang, ctx.vocab.dimension_label(dim1, lang), labels1, labels2)
    return spec(
        ctx,
        chart,
        sub,
        members,
        measure=measure,
        dimensions=(dim1, dim2),
        figure=bars.cross_bars(frame, labels1, labels2, colours(ctx, dim2), lang, ctx.threshold),
        table=table,
        summary=bars.cross_summary(frame, labels1, labels2, lang, span_text(frame, lang)),
        notes=notes.chart_notes(
            lang, ctx.threshold, [frame], remarks=remarks_of(ctx, measure, frame), extra=chart.extra_notes
        ),
    )


def over_time(
    ctx: PageContext,
    chart: Chart,
    frame: pd.DataFrame,
    measure: str,
    dimension: str = TOTAL,
    mode: str = "line",
    share: bool = False,
    members: pd.DataFrame | None = None,
    what: str = "",
    every: pd.DataFrame | None = None,
) -> FigureSpec | Empty:
    """A trend of one or more series (`frame` has a `code` column naming the series, plus display[, share]).

    `every`: all groups of the breakdown `frame` draws some or all of, and its total (series `_T`,
    series.breakdown_total) where it has one, in the same columns; the table files hold it all.
    """
    lang = ctx.lang
    members = series.period_members(frame) if members is None else members
    sub, empty = framed(ctx, chart, frame, measure, members, what)
    if empty is not None:
        return empty
    if share and frame["share"].isna().all():
        return Empty(chart.figure_id, chart.title, sub, t("empty.no_shares", lang))
    if dimension == TOTAL:
        labels = {TOTAL: what or ctx.vocab.measure_label(measure, lang)}
        palette = {TOTAL: theme.NETWORK}
    else:
        labels = {**ctx.labels(dimension), series.OTHER_GROUPS: t("trends.other_groups", lang)}
        palette = {**colours(ctx, dimension), series.OTHER_GROUPS: theme.OTHER}
        frame = series.in_code_order(frame, {"code": [*ctx.vocab.code_order(dimension), series.OTHER_GROUPS]})
    shown = _share_texts(frame, lang) if share else frame
    unit = ctx.vocab.unit(measure)
    breaks, remarked = ctx.breaks(measure), remarks_of(ctx, measure, frame)
    numbers, extra = None, list(chart.extra_notes)
    if every is not None and dimension != TOTAL:
        every = series.in_code_order(every, {"code": [TOTAL, *ctx.vocab.code_order(dimension)]})
        every = _share_texts(every, lang) if share else every
        drawn, groups = set(frame["code"]) - {series.OTHER_GROUPS}, set(every["code"]) - {TOTAL}
        text_column = "share_text" if share else "display"
        numbers = tables.whole_breakdown(
            every, drawn, lang, lambda code: labels.get(code, code), text_column, series.period_members(every)
        )
        if drawn < groups:
            extra.append(t("notes.part_drawn", lang, drawn=str(len(drawn)), groups=str(len(groups))))
        if series.OTHER_GROUPS in set(frame["code"]):
            extra.append(t("notes.other_and_hidden", lang))
        if share:  # each share is rounded on its own, as statistics offices round: a stack may be 99 or 101 %
            extra.append(t("notes.shares_rounded", lang))
    return spec(
        ctx,
        chart,
        sub,
        members,
        measure=measure,
        dimensions=() if dimension == TOTAL else (dimension,),
        figure=trend.trend_figure(
            frame,
            labels,
            palette,
            members,
            breaks,
            lang,
            ctx.threshold,
            mode=mode,
            share=share,
            axis_title=t(f"figures.axis_{unit}", lang),
            remarks=remarked,
        ),
        table=tables.wide_by_period(
            shown, lang, lambda code: labels.get(code, code), "share_text" if share else "display", members=members
        ),
        summary=trend.trend_summary(frame, labels, lang, share=share),
        notes=notes.chart_notes(
            lang,
            ctx.threshold,
            [frame],
            breaks,
            remarks=remarked,
            unit=unit,
            multi_response=ctx.vocab.is_multi_response(measure),
            extra=extra,
        ),
        numbers=numbers,
    )


def _share_texts(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    return frame.assign(share_text=[tables.share_text(s, lang) for s in frame["share"]])


def trend_title(ctx: PageContext, measure: str, dim1: str, dim2: str, code1: str = "") -> str:
    """ "New clients", "New clients by sex", and for a cross "New clients by sex (forced labour)"."""
    label = ctx.vocab.measure_label(measure, ctx.lang)
    if dim1 == TOTAL:
        return t("specs.title_total", ctx.lang, measure=label)
    by = ctx.vocab.dimension_label(dim2 if dim2 != TOTAL else dim1, ctx.lang).lower()
    if dim2 == TOTAL:
        return t("specs.title_by", ctx.lang, measure=label, dimension=by)
    within = ctx.vocab.code_label(dim1, code1, ctx.lang)
    return t("specs.title_within", ctx.lang, measure=label, dimension=by, code=within)


def beside_reference(
    ctx: PageContext, chart: Chart, network: pd.DataFrame, reference: pd.DataFrame, reference_label: str
) -> FigureSpec | Empty:
    """The network's yearly totals (gate frame with display) beside an official series (year, value)."""
    lang = ctx.lang
    members = series.period_members(network)
    sub, empty = framed(ctx, chart, network, "PERS_NEW", members)
    if empty is not None:
        return empty
    network_label = t("context.network_label", lang)
    return spec(
        ctx,
        chart,
        sub,
        members,
        measure="PERS_NEW",
        dimensions=(),
        figure=reference_figures.network_and_reference(
            network, reference, network_label, reference_label, lang, ctx.threshold
        ),
        table=reference_figures.context_table(network, reference, network_label, reference_label, lang),
        summary=reference_figures.context_summary(network, reference, lang),
        notes=notes.chart_notes(
            lang, ctx.threshold, [network], remarks=remarks_of(ctx, "PERS_NEW", network), extra=chart.extra_notes
        ),
    )
