"""A drafted description of what the chart shows, from the same protected numbers, for people to edit.

The draft reads the exported table: its first column names the periods or
categories, the first numeric column after it holds the series. A trend over
periods gets first, last and highest values; categories get the largest two.
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


def _shown(value: object, lang: str) -> str:
    if isinstance(value, float) and not value.is_integer():
        return format_number(value, lang)
    return format_int(int(value), lang)  # type: ignore[call-overload]


def _series(table: ExportTable) -> tuple[str, str] | None:
    """(label column, value column) of the table, or None when it has no numbers."""
    columns = list(table.frame.columns)
    if not columns:
        return None
    label = columns[0]
    values = [c for c in table.value_columns if c != label]
    return (label, values[0]) if values else None


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
    columns = _series(table)
    if columns is None:
        return " ".join(sentences)
    label, value = columns
    rows = list(zip(table.frame[label], table.frame[value], strict=True))
    points = [(str(lab), float(v)) for lab, v in rows if isinstance(v, int | float) and not isinstance(v, bool)]
    if points and all(_PERIOD.match(p) for p, _ in points):
        sentences += _trend(points, str(value), ctx.lang) if len(points) > 1 else _ranking(points, ctx.lang)
    elif points:
        sentences += _ranking(points, ctx.lang)
    protection = {disclosure.FLAG_SMALL, disclosure.FLAG_SECONDARY}
    flags = table.frame[table.flag_columns[value]] if value in table.flag_columns else []
    hidden = sum(1 for flag in flags if set(str(flag)) & protection)
    if hidden:
        sentences.append(t("exports.alt.hidden", ctx.lang, count=hidden, threshold=str(ctx.threshold)))
    if not points:
        sentences.append(t("exports.alt.all_hidden", ctx.lang))
    sentences.append(t("exports.alt.source", ctx.lang, network=ctx.network, version=str(ctx.version)))
    return " ".join(sentences)
