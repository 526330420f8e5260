"""Find raw small counts in what a page, figure or export shows: a reusable check for every output.

On a dataset full of 1-4 counts, a correctly protected output shows only 0, numbers
of at least the threshold, `<t` and `x`. Any other number from 1 to threshold-1 in
a table cell, a metric or a chart's data is a leak (or a column that is not a
count of persons, such as "members reporting": pass its header in `ignore`).

    from tests.disclosure.scan import scan_apptest, scan_frame, scan_figure, scan_csv
    assert scan_apptest(at, threshold, ignore={"Members reporting"}) == []

Free text (captions, summaries) is not scanned by scan_apptest: it mixes counts with
years, versions and thresholds. Pages keep counts out of free text or take them from
the gate's protected values; a drafted sentence (alt text) is checked with
`scan_text`, after its phrases that are not counts are taken out.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import openpyxl
import pandas as pd

from tests.helpers import chart_figures

_SPACES = re.compile(r"[\s\u00a0\u202f]")
_INTEGER = re.compile(r"^-?\d+([.,]0+)?$")  # "3", and "3,0" or "3.0": a whole count written as a decimal
# plotly trace keys that carry data values (not labels, colours or positions of text)
DATA_KEYS = ("x", "y", "z", "values", "text", "customdata", "hovertext")


@dataclass(frozen=True)
class Finding:
    where: str  # e.g. "dataframe 0, column 'Uudet asiakkaat', row 3" or "figure 1, trace 0, y[4]"
    value: Any

    def __str__(self) -> str:
        return f"{self.where}: {self.value!r}"


def is_small_count(value: Any, threshold: int) -> bool:
    """A number, or text that is only a whole number, from 1 to threshold-1."""
    if isinstance(value, bool) or value is None:
        return False
    if isinstance(value, int | float):
        return not math.isnan(value) and float(value).is_integer() and 1 <= value < threshold
    if isinstance(value, str):
        text = _SPACES.sub("", value)
        return bool(_INTEGER.match(text)) and 1 <= float(text.replace(",", ".")) < threshold
    return False


def scan_frame(
    frame: pd.DataFrame, threshold: int, where: str = "table", ignore: set[str] = frozenset()
) -> list[Finding]:  # type: ignore[assignment]
    found = []
    for column in frame.columns:
        if str(column) in ignore:
            continue
        for row, value in enumerate(frame[column].tolist()):
            if is_small_count(value, threshold):
                found.append(Finding(f"{where}, column {column!r}, row {row}", value))
    return found


def scan_figure(
    figure: dict,
    threshold: int,
    where: str = "figure",
    ignore: set[str] = frozenset(),  # type: ignore[assignment]
) -> list[Finding]:
    """Small counts in a plotly figure's traces (figure JSON with typed arrays decoded).

    `ignore`: names of traces that are not counts of persons (e.g. the members-reporting strip).
    """
    found = []
    for number, trace in enumerate(figure.get("data", [])):
        if trace.get("name") in ignore:
            continue
        for key in DATA_KEYS:
            values = trace.get(key)
            if values is None:
                continue
            if key == "x" and trace.get("orientation") != "h":
                continue  # categories or years on a vertical chart
            if key == "z" and (trace.get("zmin"), trace.get("zmax")) == (0, 1):
                continue  # a yes/no matrix (which member reported which period), not counts
            for position, value in enumerate(_flat(values)):
                if is_small_count(value, threshold):
                    found.append(
                        Finding(f"{where}, trace {number} ({trace.get('name', '')}), {key}[{position}]", value)
                    )
    return found


def _flat(values: Any) -> list[Any]:
    if isinstance(values, list | tuple):
        out: list[Any] = []
        for value in values:
            out += _flat(value) if isinstance(value, list | tuple) else [value]
        return out
    return [values]


def csv_frame(data: bytes) -> pd.DataFrame:
    """A downloaded CSV (any delimiter, any BOM), read as text so that nothing is reinterpreted."""
    return pd.read_csv(
        io.BytesIO(data), sep=None, engine="python", dtype=str, keep_default_na=False, encoding="utf-8-sig"
    )


def xlsx_frame(data: bytes) -> pd.DataFrame:
    """The first sheet of a workbook, its first row the header, cells as openpyxl reads them."""
    header, *rows = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0].iter_rows(values_only=True)
    return pd.DataFrame(rows, columns=[str(name) for name in header], dtype=object)


def scan_csv(data: bytes, threshold: int, ignore: set[str] = frozenset()) -> list[Finding]:  # type: ignore[assignment]
    return scan_frame(csv_frame(data), threshold, "csv", ignore)


def scan_values(values: Iterable[Any], threshold: int, where: str = "values") -> list[Finding]:
    """Small counts among loose values (the labels an SVG draws, say)."""
    return [Finding(f"{where}[{n}]", value) for n, value in enumerate(values) if is_small_count(value, threshold)]


def scan_text(text: str, threshold: int, allowed: Iterable[str] = ()) -> list[str]:
    """Standalone numbers 1..threshold-1 in running text, after taking out the `allowed` phrases."""
    for phrase in allowed:
        text = text.replace(phrase, " ")
    numbers = re.findall(r"(?<![<\d,.\-–])\b\d+\b(?![\d,.]\d)", text)
    return [number for number in numbers if 1 <= int(number) < threshold]


def scan_apptest(at: Any, threshold: int, ignore: set[str] = frozenset()) -> list[Finding]:  # type: ignore[assignment]
    """Metrics, dataframes, tables and chart data of one AppTest run."""
    found = []
    for number, metric in enumerate(at.metric):
        if is_small_count(metric.value, threshold):
            found.append(Finding(f"metric {number} ({metric.label})", metric.value))
    for number, element in enumerate(at.dataframe):
        found += scan_frame(element.value, threshold, f"dataframe {number}", ignore)
    for number, element in enumerate(at.table):
        found += scan_frame(element.value, threshold, f"table {number}", ignore)
    for number, figure in enumerate(chart_figures(at)):
        found += scan_figure(figure, threshold, f"figure {number}", ignore)
    return found
