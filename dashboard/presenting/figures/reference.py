"""The network's own figure beside an official reference series (not comparable, shown for context)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard.presenting import theme
from dashboard.presenting.figures.common import add_hidden_marks, finish, hidden_legend_entry
from dashboard.presenting.series import hidden_mask
from etl.i18n import t


def network_and_reference(
    network: pd.DataFrame,
    reference: pd.DataFrame,
    network_label: str,
    reference_label: str,
    lang: str,
    threshold: int,
) -> go.Figure:
    """Two lines over years: `network` (year, value, display, flag) and `reference` (year, value)."""
    figure = go.Figure()
    figure.add_trace(
        go.Scatter(
            x=network["year"].astype(str),
            y=[None if pd.isna(v) else float(v) for v in network["value"]],
            mode="lines+markers",
            name=network_label,
            line={"color": theme.NETWORK, "width": 3},
            hovertext=[f"{network_label}, {y}: {d}" for y, d in zip(network["year"], network["display"], strict=True)],
            hoverinfo="text",
            connectgaps=False,
        )
    )
    figure.add_trace(
        go.Scatter(
            x=reference["year"].astype(str),
            y=reference["value"].astype(float),
            mode="lines+markers",
            name=reference_label,
            line={"color": theme.REFERENCE, "width": 2, "dash": "dot"},
            marker={"symbol": "diamond"},
            hovertext=[
                f"{reference_label}, {y}: {theme.format_int(int(v), lang)}"
                for y, v in zip(reference["year"], reference["value"], strict=True)
            ],
            hoverinfo="text",
        )
    )
    years = sorted(set(network["year"].astype(str)) | set(reference["year"].astype(str)))
    hidden = network[hidden_mask(network)]
    add_hidden_marks(
        figure,
        [years.index(str(y)) for y in hidden["year"]],  # positions: "2016" would read as category 2016
        [f"{y}: {d}" for y, d in zip(hidden["year"], hidden["display"], strict=True)],
    )
    if not hidden.empty:
        hidden_legend_entry(figure, lang, threshold)
    figure.update_xaxes(type="category", categoryorder="array", categoryarray=years)
    figure.update_yaxes(title={"text": t("figures.axis_persons", lang)}, rangemode="tozero")
    return finish(
        figure,
        height=430,
        legend={"orientation": "h", "yref": "container", "yanchor": "bottom", "y": 0, "x": 0},
        margin={"l": 60, "r": 20, "t": 20, "b": 100},
    )


def context_summary(network: pd.DataFrame, reference: pd.DataFrame, lang: str) -> str:
    """The latest year with both figures shown, in one sentence."""
    both = network[network["value"].notna()].merge(reference, on="year", suffixes=("", "_ref"))
    if both.empty:
        return t("figures.summary_context_none", lang)
    last = both.sort_values("year").iloc[-1]
    return t(
        "figures.summary_context",
        lang,
        year=str(int(last["year"])),
        network=last["display"],
        reference=theme.format_int(int(last["value_ref"]), lang),
    )


def context_table(
    network: pd.DataFrame, reference: pd.DataFrame, network_label: str, reference_label: str, lang: str
) -> pd.DataFrame:
    """Year, the network's figure as displayed, the official figure."""
    years = sorted(set(network["year"].astype(int)) | set(reference["year"].astype(int)))
    shown = dict(zip(network["year"].astype(int), network["display"], strict=True))
    official = dict(zip(reference["year"].astype(int), reference["value"], strict=True))
    missing = t("common.not_available", lang)
    return pd.DataFrame(
        {
            t("common.year", lang): [str(y) for y in years],
            network_label: [shown.get(y, missing) for y in years],
            reference_label: [theme.format_int(int(official[y]), lang) if y in official else missing for y in years],
        }
    )
