"""A drafted description of what the chart shows, from the same protected numbers, for people to edit.

The draft reads the exported table: its first column names the periods or
categories, the first numeric column after it holds the series. A trend over
periods gets first, last and highest values; several series each get their first and last
value, largest first, the rest named; categories get the largest two.
Hidden cells are only counted, never described.
"""

from __future__ import annotations

import re

import plotly.graph_objects as go

from dashboard.exports.provenance import ExportContext
from dashboard.exports.tables import ExportTable
from dashboard.presenting.figure_spec import FigureSpec
from etl import disclosure
from etl.i18n import format_int, format_number, t

_PERIOD = re.compile(r"^\d{4}(H[12])?$")
CHART_KINDS = {"bar": "bar", "scatter": "line"}
MAX_SERIES = 5  # series described one by one; the rest are named


def _shown(value: object, lang: str) -> str:
    if isinstance(value, float) and not value.is_integer():
        return format_number(value, lang)
    return format_int(int(value), lang)  # type: ignore[call-overload]


def _series(table: ExportTable, lang: str) -> tuple[str, list[str]] | None:
    """(label column, the value columns of the series) of the table, or None when it has no numbers."""
    columns = list(table.frame.columns)
    if not columns:
        return None
    label = columns[0]
    values = [c for c in table.value_columns if c not in (label, t("common.members_reporting", lang))]
    counts = [c for c in values if c not in table.percent_columns]
    values = counts or values  # a share beside its count is not a series of its own
    return (label, values) if values else None


def _points(table: ExportTable, label: str, value: str) -> list[tuple[str, float]]:
    rows = zip(table.frame[label], table.frame[value], strict=True)
    return [(str(lab), float(v)) for lab, v in rows if isinstance(v, int | float) and not isinstance(v, bool)]


def _every_series(table: ExportTable, label: str, values: list[str], lang: str) -> list[str]:
    """Several series over periods: each one's first and last figure, largest last figure first."""
    shown = {value: points for value in values if (points := _points(table, label, value))}
    if not shown:
        return []
    last_period = max((points[-1][0] for points in shown.values()), key=lambda p: (p[:4], p))
    order = sorted(shown, key=lambda v: (shown[v][-1][0] != last_period, -shown[v][-1][1], values.index(v)))
    sentences = [t("exports.alt.series_count", lang, count=len(values), period=last_period)]
    for value in order[:MAX_SERIES]:
        sentences += _trend(shown[value], value, lang)[:1]
    rest = order[MAX_SERIES:] + [v for v in values if v not in shown]
    if rest:
        sentences.append(t("exports.alt.more", lang, count=len(rest), names=", ".join(rest)))
    return sentences


def _trend(points: list[tuple[str, float]], series: str, lang: str) -> list[str]:
    (first_period, first), (last_period, last) = points[0], points[-1]
    direction = "up" if last > first else "down" if last < first else "same"
    sentences = [
        t(
            "exports.alt.trend",
            lang,
            series=series,
            first=_shown(first, lang),
            first_period=first_period,
            last=_shown(last, lang),
            last_period=last_period,
        ),
        t(f"exports.alt.direction_{direction}", lang),
    ]
    peak_period, peak = max(points, key=lambda p: p[1])
    if len(points) > 2 and peak_period not in (first_period, last_period):
        sentences.append(t("exports.alt.peak", lang, peak=_shown(peak, lang), period=peak_period))
    return sentences


def _ranking(points: list[tuple[str, float]], lang: str) -> list[str]:
    ranked = sorted(points, key=lambda p: -p[1])
    if len(ranked) == 1:
        return [t("exports.alt.only", lang, label=ranked[0][0], value=_shown(ranked[0][1], lang))]
    (top, top_value), (second, second_value) = ranked[0], ranked[1]
    return [
        t(
            "exports.alt.largest",
            lang,
            label=top,
            value=_shown(top_value, lang),
            second=second,
            second_value=_shown(second_value, lang),
        )
    ]


def chart_kind(figure: go.Figure) -> str:
    """bar, line or other, from the traces that carry data.

    A coverage strip (heatmap) and the markers of hidden points (scatter beside bars)
    are furniture, not what the chart is.
    """
    kinds = {trace.type for trace in figure.data} - {"heatmap"}
    if "bar" in kinds:
        return "bar"
    return CHART_KINDS.get(next(iter(kinds)), "other") if len(kinds) == 1 else "other"


def draft_alt_text(spec: FigureSpec, table: ExportTable, ctx: ExportContext) -> str:
    kind = chart_kind(spec.figure)
    sentences = [t(f"exports.alt.kind_{kind}", ctx.lang, title=spec.title)]
    if spec.subtitle:
        sentences.append(spec.subtitle.rstrip(".") + ".")
    columns = _series(table, ctx.lang)
    if columns is None:
        return " ".join(sentences)
    label, values = columns
    points = _points(table, label, values[0])
    periods = [str(p) for p in table.frame[label]]
    if len(values) > 1 and periods and all(_PERIOD.match(p) for p in periods):
        described = _every_series(table, label, values, ctx.lang)
    elif points and all(_PERIOD.match(p) for p, _ in points):
        described = _trend(points, values[0], ctx.lang) if len(points) > 1 else _ranking(points, ctx.lang)
    else:
        described = _ranking(points, ctx.lang) if points else []
    sentences += described
    protection = {disclosure.FLAG_SMALL, disclosure.FLAG_SECONDARY}
    flag_columns = [table.flag_columns[v] for v in values if v in table.flag_columns]
    hidden = sum(1 for column in flag_columns for flag in table.frame[column] if set(str(flag)) & protection)
    if hidden:
        sentences.append(t("exports.alt.hidden", ctx.lang, count=hidden, threshold=str(ctx.threshold)))
    if not described:
        sentences.append(t("exports.alt.all_hidden", ctx.lang))
    sentences.append(t("exports.alt.source", ctx.lang, network=ctx.network, version=str(ctx.version)))
    return " ".join(sentences)
