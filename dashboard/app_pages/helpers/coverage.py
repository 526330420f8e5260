"""The coverage matrix: which member reported for which period (green) and which did not (grey)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard.presenting import theme
from dashboard.presenting.figures.common import finish, wrap
from etl.i18n import t

ROW_HEIGHT = 26


def coverage_matrix(
    reported: pd.DataFrame, members: pd.DataFrame, periods: list[str], period_labels: list[str], lang: str
) -> go.Figure:
    """`reported`: org_code, period (one row per report); `members`: code, name (row order)."""
    done = set(zip(reported["org_code"], reported["period"], strict=True))
    names = [wrap(name, 24) for name in members["name"]]
    z = [[1 if (code, p) in done else 0 for p in periods] for code in members["code"]]
    yes, no = t("figures.reported", lang), t("figures.not_reported", lang)
    hover = [
        [f"{name} · {label}: {yes if cell else no}" for label, cell in zip(period_labels, row, strict=True)]
        for name, row in zip(members["name"], z, strict=True)
    ]
    figure = go.Figure(
        go.Heatmap(
            x=period_labels,
            y=names,
            z=z,
            zmin=0,
            zmax=1,
            showscale=False,
            xgap=2,
            ygap=2,
            colorscale=[[0, theme.NOT_REPORTED], [0.5, theme.NOT_REPORTED], [0.5, theme.REPORTED], [1, theme.REPORTED]],
            hovertext=hover,
            hoverinfo="text",
        )
    )
    for colour, name in ((theme.REPORTED, yes), (theme.NOT_REPORTED, no)):
        figure.add_trace(
            go.Scatter(
                x=[None],
                y=[None],
                mode="markers",
                name=name,
                hoverinfo="skip",
                marker={"symbol": "square", "size": 14, "color": colour, "line": {"width": 1, "color": "#999999"}},
            )
        )
    figure.update_yaxes(autorange="reversed", automargin=True, showgrid=False)
    figure.update_xaxes(type="category", side="top", showgrid=False, ticks="")
    return finish(
        figure,
        height=110 + ROW_HEIGHT * sum(name.count("<br>") + 1 for name in names),
        legend={"orientation": "h", "yanchor": "top", "y": -0.02, "x": 0},
        margin={"l": 10, "r": 10, "t": 40, "b": 30},
    )


def coverage_summary(
    reported: pd.DataFrame, members: pd.DataFrame, periods: list[str], labels: list[str], lang: str
) -> str:
    if not periods:
        return t("figures.summary_coverage_none", lang)
    last, label = periods[-1], labels[-1]
    count = int((reported["period"] == last).sum())
    return t("figures.summary_coverage", lang, period=label, count=count, total=len(members))
