"""Pieces every figure shares: break and note markers, hidden-cell markers, layout defaults.

Pure functions: they take plain values and a figure, never st.*.
"""

from __future__ import annotations

from collections.abc import Sequence

import plotly.graph_objects as go

from dashboard.presenting import theme
from etl.i18n import t

HIDDEN_SYMBOL = "x-thin-open"
HIDDEN_MARK = "×"
LABEL_WIDTH = 26  # characters per line of a bar label: long labels wrap instead of squeezing the bars on a phone
LEGEND_ROW = 22  # pixels a legend row takes
HOVER_WIDTH = 50  # characters per line of a note's hover: a long note stays on a phone's screen


def wrap(label: str, width: int = LABEL_WIDTH) -> str:
    """A category label broken into lines of at most `width` characters (plotly's <br>)."""
    lines: list[str] = []
    for word in label.split(" "):
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return "<br>".join(lines)


def legend_room(entries: int, per_row: int = 2) -> int:
    """Height to add for a legend under the plot: on a phone, one or two entries fit a row."""
    return LEGEND_ROW * ((entries + per_row - 1) // per_row)


def finish(figure: go.Figure, height: int, **layout: object) -> go.Figure:
    """The common template, no in-figure title (the page shows title and subtitle above the chart)."""
    figure.update_layout(template="tilannekuva", height=height, **layout)
    return figure


def add_breaks(figure: go.Figure, positions: Sequence[float], labels: Sequence[str], lang: str) -> None:
    """A dashed line before each period where a series breaks, labelled at the top; the full text on hover."""
    for position, label in zip(positions, labels, strict=True):
        figure.add_shape(
            type="line",
            x0=position,
            x1=position,
            y0=0,
            y1=1,
            xref="x",
            yref="paper",
            line={"color": theme.BREAK, "dash": "dash", "width": 1.5},
        )
        figure.add_annotation(
            x=position,
            y=1.0,
            xref="x",
            yref="paper",
            text=t("figures.break_short", lang),
            hovertext=label,
            showarrow=False,
            xanchor="center",
            yanchor="bottom",
            font={"size": 11, "color": theme.BREAK},
        )


def add_remarks(figure: go.Figure, positions: Sequence[int], labels: Sequence[str], lang: str) -> None:
    """A small boxed "note" inside the top of the plot at each noted period, the full text on hover.

    A box on the period itself, not a line between periods: a note is no break in the series, and
    inside the plot it never runs into a break's label above it. Notes of one period share a box.
    """
    by_position: dict[int, list[str]] = {}
    for position, label in zip(positions, labels, strict=True):
        by_position.setdefault(position, []).append(wrap(label, HOVER_WIDTH))
    for position, texts in by_position.items():
        figure.add_annotation(
            x=position,
            y=1,
            xref="x",
            yref="y domain",
            text=t("figures.note_short", lang),
            hovertext="<br><br>".join(texts),
            showarrow=False,
            xanchor="center",
            yanchor="top",
            bgcolor="white",
            bordercolor=theme.NOTE,
            borderwidth=1,
            borderpad=2,
            font={"size": 11, "color": theme.NOTE},
        )


def add_hidden_marks(figure: go.Figure, xs: Sequence[object], hover: Sequence[str], yref: str = "y domain") -> None:
    """One "×" on the axis where a period has hidden cells: a gap with a marker, never a zero or a value.

    Every mark sits at the same height, whichever series it stands for (marks lifted apart
    read as values); its hover names the hidden cells.
    """
    by_x: dict[object, list[str]] = {}
    for x, text in zip(xs, hover, strict=True):
        by_x.setdefault(x, []).append(text)
    for x, texts in by_x.items():
        figure.add_annotation(
            x=x,
            y=0,
            xref="x",
            yref=yref,
            text=HIDDEN_MARK,
            hovertext="<br>".join(texts),
            showarrow=False,
            yanchor="bottom",
            font={"size": 16, "color": theme.HIDDEN},
        )


def hidden_legend_entry(figure: go.Figure, lang: str, threshold: int, **trace: object) -> None:
    """A legend item explaining the "×" marks (a trace without data)."""
    figure.add_trace(
        go.Scatter(
            x=[None],
            y=[None],
            mode="markers",
            marker={"symbol": HIDDEN_SYMBOL, "size": 10, "color": theme.HIDDEN, "line": {"width": 2}},
            name=t("figures.hidden_legend", lang, threshold=str(threshold)),
            hoverinfo="skip",
            **trace,
        )
    )
