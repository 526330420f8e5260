"""How charts show protected figures: a hidden point is a gap with a marker, never a zero.

Convention for every figure in dashboard/figures:
- pass the gate's `value` as is: <NA>/NaN where hidden, so a bar is missing and a
  line breaks there (plotly's `connectgaps` is False by default: keep it so);
- call `add_hidden_markers(figure, frame, lang)` to put a marker with the cell's
  text (`<5` or `x`) at each hidden point, on an axis of its own at the foot of the
  plot, so it can never be read as a value;
- put `gate.legend(frame, lang)` among the chart's notes (FigureSpec.notes).
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard import theme
from etl.config import get_settings
from etl.disclosure import display_text, flag_descriptions, is_hidden
from etl.i18n import t

MARKER_AXIS = "y9"  # an invisible 0..1 axis: markers sit at its foot whatever the data's scale
MARKER_HEIGHT = 0.03


def hidden_points(frame: pd.DataFrame, x: str = "year") -> pd.DataFrame:
    """The hidden cells of `frame` (gate output): x position, display text, flags."""
    hidden = frame[[is_hidden(flag) for flag in frame["flag"]]]
    return hidden[[x, "flag"]].rename(columns={x: "x"}).reset_index(drop=True)


def add_hidden_markers(
    figure: go.Figure, frame: pd.DataFrame, lang: str, x: str = "year", name: str | None = None
) -> go.Figure:
    """Mark every hidden point of `frame` at the foot of the plot with its text (`<5`, `x`)."""
    points = hidden_points(frame, x)
    if points.empty:
        return figure
    threshold = get_settings().disclosure_threshold
    texts = [display_text(None, flag, threshold, lang) for flag in points["flag"]]
    meanings = flag_descriptions(lang, threshold)
    hover = [
        f"{position}: {text}, {meanings['c' if 'c' in flag else 'd']}"
        for position, text, flag in zip(points["x"], texts, points["flag"], strict=True)
    ]
    figure.add_trace(
        go.Scatter(
            x=points["x"],
            y=[MARKER_HEIGHT] * len(points),
            yaxis=MARKER_AXIS,
            mode="markers+text",
            marker={"symbol": "x-thin-open", "size": 9, "color": theme.HIDDEN, "line": {"width": 1.5}},
            text=texts,
            textposition="top center",
            textfont={"size": 10, "color": theme.HIDDEN},
            hovertext=hover,
            hoverinfo="text",
            name=name or t("disclosure.hidden_marker", lang),
            showlegend=False,
        )
    )
    figure.update_layout({"yaxis9": {"overlaying": "y", "range": [0, 1], "visible": False, "fixedrange": True}})
    return figure
