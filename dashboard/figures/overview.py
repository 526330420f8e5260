"""Figures of the Overview page."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard import theme
from dashboard.figures.protection import add_hidden_markers
from etl.i18n import t


def new_clients_summary(frame: pd.DataFrame, lang: str) -> str:
    """One sentence for screen readers, from the same protected numbers as the chart."""
    shown = frame[frame["value"].notna()]
    if shown.empty:
        return t("overview.summary_none", lang)
    first, last = shown.iloc[0], shown.iloc[-1]
    return t(
        "overview.summary",
        lang,
        first_year=str(int(first["year"])),
        first=int(first["value"]),
        last_year=str(int(last["year"])),
        last=int(last["value"]),
        members=int(last["members"]),
    )


def new_clients_by_year(frame: pd.DataFrame, breaks: pd.DataFrame, lang: str) -> go.Figure:
    """Bars of network new clients per year; how many members reported is written under each year.

    `frame`: year, value (NaN when hidden), flag, members. `breaks`: year, label.
    """
    ticks = [
        f"{year}<br><sub>{t('overview.members_short', lang, count=int(members))}</sub>"
        for year, members in zip(frame["year"], frame["members"], strict=True)
    ]
    hidden = frame["value"].isna()
    figure = go.Figure(
        go.Bar(
            x=frame["year"],
            y=frame["value"],
            marker_color=theme.NETWORK,
            text=[theme.format_int(v, lang) if not h else "" for v, h in zip(frame["value"], hidden, strict=True)],
            textposition="outside",
            name=t("overview.new_clients", lang),
            hovertemplate="%{x}: %{y:,.0f}<extra></extra>",
        )
    )
    for year, label in zip(breaks["year"], breaks["label"], strict=True):
        figure.add_vline(x=year - 0.5, line={"color": theme.BREAK, "dash": "dash", "width": 1.5})
        figure.add_annotation(
            x=year - 0.5, y=1.02, yref="paper", text=t("overview.break_short", lang), hovertext=label,
            showarrow=False, xanchor="center", yanchor="bottom", font={"size": 11, "color": theme.BREAK},
        )  # fmt: skip
    figure.update_layout(
        template="tilannekuva",
        title={"text": t("overview.chart_title", lang)},
        xaxis={"tickmode": "array", "tickvals": list(frame["year"]), "ticktext": ticks},
        yaxis={"title": {"text": t("overview.axis_persons", lang)}},
        showlegend=False,
    )
    return add_hidden_markers(figure, frame, lang)  # a hidden year is a gap with its `<5`/`x`, never a 0
