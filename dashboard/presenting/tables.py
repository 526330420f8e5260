"""The tables under charts and the texts in them: pure functions of the gate's protected frames.

A table shows exactly the numbers of its chart, as a person reads them
("<5" for a small count, "x" for a cell hidden to protect another one).
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from dashboard.presenting import series, theme
from etl import disclosure
from etl.codebook import TOTAL
from etl.i18n import t


def period_label(period: str, year: int, kind: str, lang: str) -> str:
    """ "2024" for a year, "2024 H1" style for a half-year (in the reader's language)."""
    if kind == "Y":
        return str(year)
    return t("common.half_year", lang, year=str(year), half=kind[1:])


def period_labels(frame: pd.DataFrame, lang: str) -> list[str]:
    return [
        period_label(p, int(y), k, lang) for p, y, k in zip(frame["period"], frame["year"], frame["kind"], strict=True)
    ]


def share_text(share: object, lang: str) -> str:
    if share is None or share is pd.NA or pd.isna(share):
        return t("common.not_available", lang)
    return theme.format_percent_value(int(share) / 100, lang)  # type: ignore[call-overload]


def share_range_text(share: tuple[int, int] | None, lang: str) -> str:
    """A derived share: exact, `x` when a hidden part leaves it uncertain, `..` when it cannot be formed.

    DATA-CONTRACT 8.9: one notation everywhere; a range is not one of its symbols.
    """
    if share is None:
        return t("common.not_available", lang)
    low, high = share
    if low == high:
        return theme.format_percent_value(low / 100, lang)
    return disclosure.SECONDARY_TEXT


def bounds_text(bounds: series.Bounds, lang: str, threshold: int) -> str:
    """A derived sum: exact, else `x` (a hidden part leaves it uncertain; DATA-CONTRACT 8.9 has no ranges)."""
    if bounds.high is None or not bounds.exact:
        return disclosure.SECONDARY_TEXT
    return theme.format_int(bounds.low, lang)


def wide_by_period(
    frame: pd.DataFrame,
    lang: str,
    series_label: Callable[[str], str],
    text_column: str = "display",
    key: str = "code",
    members: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Rows are periods, columns are series (labels), cells are display texts; members reporting last."""
    if frame.empty:
        return pd.DataFrame({t("common.period", lang): []})
    ordered = frame.sort_values(["year", "kind"], kind="stable")
    periods = ordered.drop_duplicates("period")
    table = pd.DataFrame({t("common.period", lang): period_labels(periods, lang)}, index=periods["period"].tolist())
    for code in dict.fromkeys(ordered[key]):
        cells = ordered[ordered[key] == code].set_index("period")[text_column]
        table[series_label(code)] = cells.reindex(table.index).fillna(t("common.not_available", lang))
    if members is not None and not members.empty:
        by_period = members.set_index("period")["members"]
        table[t("common.members_reporting", lang)] = [
            theme.format_int(int(by_period[p]), lang) if p in by_period.index else "" for p in table.index
        ]
    return table.reset_index(drop=True)


def whole_breakdown(
    every: pd.DataFrame,
    drawn: set[str],
    lang: str,
    series_label: Callable[[str], str],
    text_column: str = "display",
    members: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """A breakdown over time as the table files hold it: its total (series `_T`, as a count) first,
    then every group; when the chart draws only some groups, their headers say "(in the chart)"."""
    groups = set(every["code"]) - {TOTAL}
    part = drawn < groups
    total = t("common.total_count" if text_column != "display" else "common.total", lang)

    def label(code: str) -> str:
        if code == TOTAL:
            return total
        return t("common.in_chart", lang, label=series_label(code)) if part and code in drawn else series_label(code)

    is_total = every["code"] == TOTAL
    cells = pd.concat([every[is_total], every[~is_total]])
    cells[text_column] = cells[text_column].where(cells["code"] != TOTAL, cells["display"])
    return wide_by_period(cells, lang, label, text_column, members=members)


def by_code(
    frame: pd.DataFrame, lang: str, code_header: str, value_header: str, label: Callable[[str], str], key: str = "code1"
) -> pd.DataFrame:
    """One period's breakdown: label, count and (when there) share, as displayed."""
    table = pd.DataFrame(
        {
            code_header: [label(code) for code in frame[key]],
            value_header: frame["display"].tolist(),
        }
    )
    if "share" in frame:
        table[t("common.share", lang)] = [share_text(s, lang) for s in frame["share"]]
    return table


def cross_table(
    frame: pd.DataFrame, lang: str, row_header: str, labels1: dict[str, str], labels2: dict[str, str]
) -> pd.DataFrame:
    """One period's cross: a row per code1, a column per code2, display texts in the cells."""
    rows = list(dict.fromkeys(frame["code1"]))
    table = pd.DataFrame({row_header: [labels1.get(code, code) for code in rows]})
    for code2 in dict.fromkeys(frame["code2"]):
        cells = frame[frame["code2"] == code2].set_index("code1")["display"]
        table[labels2.get(code2, code2)] = cells.reindex(rows).fillna(t("common.not_available", lang)).tolist()
    return table
