"""Bar charts of one period: a breakdown (one bar per code) and a cross (stacked bars)."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd
import plotly.graph_objects as go

from dashboard.presenting import series, tables, theme
from dashboard.presenting.figures.common import finish, hidden_legend_entry, legend_room, wrap
from etl.i18n import t

BAR_HEIGHT = 30
LAST = {"OTH": 1, "OTH_EU": 1, "OTH_NON_EU": 1, "X": 1, "UNK": 2}  # other (and folded countries), unknown: last


def sort_for_bars(frame: pd.DataFrame, key: str = "code1", column: str = "value") -> pd.DataFrame:
    """Largest first; hidden cells after the visible ones; other and unknown last."""
    out = frame.assign(
        _last=frame[key].map(LAST).fillna(0),
        _hidden=frame[column].isna(),
        _size=frame[column].astype("Float64").fillna(-1),
    )
    out = out.sort_values(["_last", "_hidden", "_size"], ascending=[True, True, False], kind="stable")
    return out.drop(columns=["_last", "_hidden", "_size"]).reset_index(drop=True)


def breakdown_bars(
    frame: pd.DataFrame,
    labels: dict[str, str],
    colours: dict[str, str],
    lang: str,
    threshold: int,
    share: bool = False,
    axis_title: str = "",
) -> go.Figure:
    """Horizontal bars of one period's breakdown (code1, value, display, flag[, share]), largest on top.

    A hidden cell has no bar: its display text ("<5", "x") is written at the axis.
    """
    rows = sort_for_bars(frame, column="share" if share else "value")
    column = "share" if share else "value"
    names = [wrap(labels.get(code, code)) for code in rows["code1"]]
    values = [None if pd.isna(v) else float(v) for v in rows[column]]
    texts = [
        tables.share_text(s, lang) if share else d
        for s, d in zip(rows["share"] if share else rows["display"], rows["display"], strict=True)
    ]
    figure = go.Figure(
        go.Bar(
            y=names,
            x=values,
            orientation="h",
            marker_color=[colours.get(code, theme.NETWORK) for code in rows["code1"]],
            text=[text if v is not None else "" for text, v in zip(texts, values, strict=True)],
            textposition="outside",
            cliponaxis=False,
            hovertext=[f"{labels.get(c, c)}: {d}" for c, d in zip(rows["code1"], rows["display"], strict=True)],
            hoverinfo="text",
            showlegend=False,
        )
    )
    hidden = series.hidden_mask(rows)
    _text_at_axis(figure, names, rows["display"], hidden)
    if hidden.any():
        hidden_legend_entry(figure, lang, threshold, showlegend=False)
    figure.update_yaxes(autorange="reversed", categoryorder="array", categoryarray=names, automargin=True)
    figure.update_xaxes(
        title={"text": "%" if share else axis_title}, rangemode="tozero", showgrid=True, gridcolor="#E5E5E5"
    )
    if share:
        figure.update_xaxes(ticksuffix="\u00a0%")
    return finish(figure, height=80 + BAR_HEIGHT * len(rows), margin={"l": 10, "r": 50, "t": 10, "b": 50})


def _text_at_axis(figure: go.Figure, names: list[str], texts: Iterable[str], barless: Iterable[bool]) -> None:
    """Where a row has no bar, its display text ("<5", "x", a range) is written at the axis instead."""
    for name, text, no_bar in zip(names, texts, barless, strict=True):
        if no_bar:
            figure.add_annotation(
                x=0,
                y=name,
                xref="x",
                yref="y",
                text=text,
                showarrow=False,
                xanchor="left",
                font={"size": 13, "color": theme.HIDDEN},
            )


def cross_bars(
    frame: pd.DataFrame,
    labels1: dict[str, str],
    labels2: dict[str, str],
    colours2: dict[str, str],
    lang: str,
    threshold: int,
) -> go.Figure:
    """Stacked horizontal bars of a cross (code1 rows, code2 segments) for one period.

    Rows come in order of their visible size; a row with hidden segments ends in
    a "×" whose hover names them.
    """
    visible = frame.groupby("code1", sort=False)["value"].sum(min_count=1).astype("Float64").fillna(-1)
    rows = sorted(visible.index, key=lambda c: (LAST.get(c, 0), -float(visible[c])))
    names = [wrap(labels1.get(code, code)) for code in rows]
    figure = go.Figure()
    for code2 in dict.fromkeys(frame["code2"]):
        cells = frame[frame["code2"] == code2].set_index("code1").reindex(rows)
        figure.add_trace(
            go.Bar(
                y=names,
                x=[None if pd.isna(v) else float(v) for v in cells["value"]],
                orientation="h",
                name=labels2.get(code2, code2),
                marker_color=colours2.get(code2, theme.NETWORK),
                hovertext=[
                    f"{n} · {labels2.get(code2, code2)}: {d}" for n, d in zip(names, cells["display"], strict=True)
                ],
                hoverinfo="text",
                showlegend=bool(cells["value"].notna().any()),  # no key for a colour that draws no bar
            )
        )
    room = legend_room(sum(bool(trace.showlegend) for trace in figure.data) + 1)  # the keys, and the hidden one
    any_hidden = False
    for code, name in zip(rows, names, strict=True):
        cells = frame[frame["code1"] == code]
        hidden = cells[series.hidden_mask(cells)]
        if not hidden.empty:
            any_hidden = True
            which = ", ".join(
                f"{labels2.get(c, c)} {d}" for c, d in zip(hidden["code2"], hidden["display"], strict=True)
            )
            figure.add_annotation(
                x=max(float(visible[code]), 0),
                y=name,
                text="×",
                hovertext=which,
                showarrow=False,
                xanchor="left",
                xshift=4,
                font={"size": 16, "color": theme.HIDDEN},
            )
    if any_hidden:
        hidden_legend_entry(figure, lang, threshold)
    figure.update_yaxes(autorange="reversed", categoryorder="array", categoryarray=names, automargin=True)
    # No axis title: the legend sits under the axis, and the subtitle says what is counted.
    figure.update_xaxes(rangemode="tozero", showgrid=True, gridcolor="#E5E5E5")
    height = 90 + BAR_HEIGHT * len(rows) + room
    return finish(
        figure,
        height=height,
        barmode="stack",
        # In the margin kept for it, its top a fixed 32 px under the plot: clear of the axis numbers
        # however many rows, and the room for a narrow screen's extra legend rows left below it.
        legend={
            "orientation": "h",
            "yref": "container",
            "yanchor": "top",
            "y": (room + 50 - 32) / height,
            "x": 0,
            "traceorder": "normal",
        },
        margin={"l": 10, "r": 30, "t": 10, "b": 50 + room},
    )


def breakdown_summary(frame: pd.DataFrame, labels: dict[str, str], lang: str, period_text: str) -> str:
    """One sentence: the largest and second-largest visible groups of one period."""
    shown = sort_for_bars(frame[frame["value"].notna() & ~frame["code1"].isin(list(LAST))])
    if shown.empty:
        return t("figures.summary_all_hidden", lang)
    first = shown.iloc[0]
    share = f", {tables.share_text(first['share'], lang)}" if "share" in shown and pd.notna(first["share"]) else ""
    if len(shown) == 1:
        return t(
            "figures.summary_bars_one",
            lang,
            period=period_text,
            first=labels.get(first["code1"], first["code1"]),
            first_value=first["display"] + share,
        )
    second = shown.iloc[1]
    return t(
        "figures.summary_bars",
        lang,
        period=period_text,
        first=labels.get(first["code1"], first["code1"]),
        first_value=first["display"] + share,
        second=labels.get(second["code1"], second["code1"]),
        second_value=second["display"],
    )


def cross_summary(frame: pd.DataFrame, labels1: dict[str, str], labels2: dict[str, str], lang: str, period: str) -> str:
    shown = frame[frame["value"].notna()].sort_values("value", ascending=False)
    if shown.empty:
        return t("figures.summary_all_hidden", lang)
    top = shown.iloc[0]
    return t(
        "figures.summary_cross",
        lang,
        period=period,
        first=labels1.get(top["code1"], top["code1"]),
        second=labels2.get(top["code2"], top["code2"]),
        value=top["display"],
    )
