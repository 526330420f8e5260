"""Trend charts: one or more series over periods, with members reporting in a strip under the axis."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard.presenting import series, tables, theme
from dashboard.presenting.figures.common import (
    HIDDEN_MARK,
    add_breaks,
    add_hidden_marks,
    add_remarks,
    finish,
    hidden_legend_entry,
    legend_room,
)
from etl.i18n import t

STRIP_SCALE = [[0.0, "#F4F4F4"], [1.0, "#B9DFCF"]]


def break_positions(periods: pd.DataFrame, breaks: pd.DataFrame) -> tuple[list[float], list[str]]:
    """Where each break goes on a category axis: before the first period of its year (if shown, not first)."""
    years = periods["year"].tolist()
    positions, labels = [], []
    for year, label in zip(breaks["year"], breaks["label"], strict=True):
        if year in years and years.index(year) > 0:
            positions.append(years.index(year) - 0.5)
            labels.append(label)
    return positions, labels


def remark_positions(periods: pd.DataFrame, remarks: pd.DataFrame) -> tuple[list[int], list[str]]:
    """Where each note on a period goes on a category axis: at the first period of its year (if shown)."""
    years = periods["year"].tolist()
    positions, labels = [], []
    for year, label in zip(remarks["year"], remarks["label"], strict=True):
        if year in years:
            positions.append(years.index(year))
            labels.append(label)
    return positions, labels


def trend_figure(
    frame: pd.DataFrame,
    labels: dict[str, str],
    colours: dict[str, str],
    members: pd.DataFrame,
    breaks: pd.DataFrame,
    lang: str,
    threshold: int,
    mode: str = "line",
    share: bool = False,
    axis_title: str = "",
    remarks: pd.DataFrame | None = None,
) -> go.Figure:
    """Lines or stacked bars of `frame` (period, year, kind, code, value, display, flag[, share]).

    Hidden cells are gaps with a "×" on the axis; `members` (period, members)
    fills the strip under the axis; `breaks` (year, label) draw dashed lines, `remarks`
    (year, label: notes on periods) small boxed notes at the top.
    Built as one figure with two stacked y axes (make_subplots costs ~0.1 s a chart).
    """
    periods = frame.drop_duplicates("period").sort_values(["year", "kind"])
    order = periods["period"].tolist()
    ticks = tables.period_labels(periods, lang)
    label_of = dict(zip(order, ticks, strict=True))
    column = "share" if share else "value"
    codes = list(dict.fromkeys(frame["code"]))
    traces: list[go.Bar | go.Scatter | go.Heatmap] = []
    hidden_x: list[int] = []
    hidden_text: list[str] = []
    for code in codes:
        cells = frame[frame["code"] == code].set_index("period").reindex(order)
        values = [None if pd.isna(v) else float(v) for v in cells[column]]
        shown = [f"{labels.get(code, code)}<br>{label_of[p]}: {_point_text(cells, p, share, lang)}" for p in order]
        style = {"name": labels.get(code, code), "hovertext": shown, "hoverinfo": "text", "legendgroup": code}
        rest = code == series.OTHER_GROUPS  # not a group of its own: hatched, dotted (its grey is "other"'s too)
        if mode == "bars":
            pattern = {"shape": "/", "fillmode": "overlay", "fgcolor": "#FFFFFF", "solidity": 0.3} if rest else {}
            traces.append(go.Bar(x=order, y=values, marker={"color": colours.get(code), "pattern": pattern}, **style))
        else:
            traces.append(
                go.Scatter(
                    x=order,
                    y=values,
                    mode="lines+markers",
                    connectgaps=False,
                    line={"color": colours.get(code), "width": 2.5, "dash": "dot" if rest else "solid"},
                    marker={"size": 7, "symbol": "circle-open" if rest else "circle"},
                    **style,
                )
            )
        for period, is_hidden in zip(order, series.hidden_mask(cells.reset_index()), strict=True):
            if is_hidden:
                hidden_x.append(order.index(period))  # a position: plotly reads "2016" as category number 2016
                hidden_text.append(f"{labels.get(code, code)}, {label_of[period]}: {cells.at[period, 'display']}")
    traces.append(_strip(members, order, label_of, lang))
    single = len(codes) == 1 and not hidden_x
    room = 0 if single else legend_room(len(codes) + bool(hidden_x))
    figure = go.Figure(
        data=traces,
        layout={
            "xaxis": {"domain": [0, 1], "anchor": "y", "matches": "x2", "showticklabels": False, **_category(order)},
            "xaxis2": {"domain": [0, 1], "anchor": "y2", "tickmode": "array", "tickvals": order, "ticktext": ticks,
                       **_category(order)},
            "yaxis": {"domain": [STRIP + GAP, 1], "anchor": "x", "rangemode": "tozero",
                      "title": {"text": "%" if share else axis_title}, "ticksuffix": "\u00a0%" if share else ""},
            "yaxis2": {"domain": [0, STRIP], "anchor": "x2", "showgrid": False, "fixedrange": True},
        },
    )  # fmt: skip
    if mode == "bars":
        _stack_marks(figure, frame, column, order, hidden_x, hidden_text)
    else:
        add_hidden_marks(figure, hidden_x, hidden_text)
    if hidden_x:
        hidden_legend_entry(figure, lang, threshold, showlegend=True)
    positions, texts = break_positions(periods, breaks)
    add_breaks(figure, positions, texts, lang)
    if remarks is not None:
        add_remarks(figure, *remark_positions(periods, remarks), lang)
    return finish(
        figure,
        height=440 + room,
        barmode="stack",
        showlegend=not single,
        legend={"orientation": "h", "yref": "container", "yanchor": "bottom", "y": 0, "x": 0, "traceorder": "normal"},
        margin={"l": 60, "r": 20, "t": 30, "b": 40 + room},
    )


STRIP, GAP = 0.1, 0.04  # share of the plot height: the members strip, and the space above it


def _category(order: list[str]) -> dict[str, object]:
    return {"type": "category", "categoryorder": "array", "categoryarray": order}


def _point_text(cells: pd.DataFrame, period: str, share: bool, lang: str) -> str:
    shown = cells.at[period, "display"]
    text = str(shown) if pd.notna(shown) else ""
    if share and text:
        text += f" ({tables.share_text(cells.at[period, 'share'], lang)})"
    return text


def _stack_marks(
    figure: go.Figure, frame: pd.DataFrame, column: str, order: list[str], xs: list[int], texts: list[str]
) -> None:
    """Stacked bars: one "×" above each stack with hidden parts, all in one row over the tallest stack
    (a mark at its own stack's top would sit at a value); its hover names the hidden parts."""
    tops = frame.groupby("period")[column].sum(min_count=1).astype("Float64").fillna(0)
    row = float(tops.max()) if len(tops) else 0.0
    for position in dict.fromkeys(xs):
        which = "<br>".join(text for x, text in zip(xs, texts, strict=True) if x == position)
        figure.add_annotation(
            x=position,
            y=row,
            xref="x",
            yref="y",
            text=HIDDEN_MARK,
            hovertext=which,
            showarrow=False,
            yanchor="bottom",
            font={"size": 16, "color": theme.HIDDEN},
        )


def _strip(members: pd.DataFrame, order: list[str], label_of: dict[str, str], lang: str) -> go.Heatmap:
    """Members reporting each period, as a row of shaded cells with the count written in."""
    by_period = members.set_index("period")["members"] if not members.empty else pd.Series(dtype="int64")
    counts = [int(by_period[p]) if p in by_period.index else 0 for p in order]
    hover = [t("figures.strip_hover", lang, period=label_of[p], count=c) for p, c in zip(order, counts, strict=True)]
    return go.Heatmap(
        x=order,
        y=[t("figures.strip_label", lang)],
        z=[counts],
        text=[[str(c) for c in counts]],
        texttemplate="%{text}",
        colorscale=STRIP_SCALE,
        zmin=0,
        zmax=max([*counts, 1]),
        showscale=False,
        hovertext=[hover],
        hoverinfo="text",
        xgap=2,
        name=t("figures.strip_label", lang),
        showlegend=False,
        xaxis="x2",
        yaxis="y2",
    )


def trend_summary(frame: pd.DataFrame, labels: dict[str, str], lang: str, share: bool = False) -> str:
    """One sentence from the same protected numbers: the largest series in the last period, and its change."""
    column = "share" if share else "value"
    shown = frame[frame[column].notna()]
    if shown.empty:
        return t("figures.summary_all_hidden", lang)
    periods = shown.drop_duplicates("period").sort_values(["year", "kind"])
    last = periods.iloc[-1]
    at_last = shown[shown["period"] == last["period"]].sort_values(column, ascending=False)
    top = at_last.iloc[0]
    top_text = tables.share_text(top[column], lang) if share else top["display"]
    first_of_top = shown[shown["code"] == top["code"]].sort_values(["year", "kind"]).iloc[0]
    first_text = tables.share_text(first_of_top[column], lang) if share else first_of_top["display"]
    key = "figures.summary_trend_single" if frame["code"].nunique() == 1 else "figures.summary_trend"
    first_period = tables.period_label(first_of_top["period"], int(first_of_top["year"]), first_of_top["kind"], lang)
    last_period = tables.period_label(last["period"], int(last["year"]), last["kind"], lang)
    sentence = t(
        key,
        lang,
        series=labels.get(top["code"], top["code"]),
        last_period=last_period,
        last=top_text,
        first_period=first_period,
        first=first_text,
    )
    members = series.period_members(frame).set_index("period")["members"]
    first_members, last_members = int(members[first_of_top["period"]]), int(members[last["period"]])
    if first_members == last_members:
        return sentence
    return sentence + " " + t(
        "figures.summary_members", lang, first=str(first_members), first_period=first_period,
        last=str(last_members), last_period=last_period,
    )  # fmt: skip
