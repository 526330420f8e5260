"""The whole published, protected dataset of one data version, for researchers and statistics offices.

Built from dashboard.gate.network over every allowed (measure, breakdown) of the
codebook, for calendar years and half-years, so it passes the same disclosure
gate as every chart. Two shapes: a plain CSV with labels in the chosen language,
and SDMX-CSV 1.0 with OBS_STATUS and CONF_STATUS attributes.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

import pandas as pd

from dashboard import gate
from dashboard.exports.tables import neutralise
from etl import disclosure
from etl.codebook import TOTAL, load_codebook
from etl.snapshots import SnapshotRef

DATAFLOW = "IKV:TILANNEKUVA(1.0)"
CSV_COLUMNS = [
    "data_version", "measure", "measure_label", "period", "kind", "dim1", "code1", "code1_label",
    "dim2", "code2", "code2_label", "value", "flag", "members",
]  # fmt: skip
UNIT = {"persons": "PS", "contacts": "NR"}  # SDMX CL_UNIT: persons, number
FREQ = {"Y": "A", "H1": "S", "H2": "S"}  # SDMX CL_FREQ: annual, half-yearly (semester)
# SDMX CL_OBS_STATUS for our data flags (one value per observation: a break wins, then estimate, then provisional)
OBS_STATUS = (("b", "B"), ("e", "E"), ("p", "P"))
# SDMX CL_CONF_STATUS: C primary confidential (small count), D secondary, F free
CONF_STATUS = ((disclosure.FLAG_SMALL, "C"), (disclosure.FLAG_SECONDARY, "D"))

Progress = Callable[[float, str], None]


def protected_cells(ref: SnapshotRef, progress: Progress | None = None) -> pd.DataFrame:
    """Every published cell of the version, as the gate gives it: measure, dim1, dim2 and the gate's columns."""
    codebook = load_codebook()
    views = [
        gate.View(measure, dim1, dim2, half_years=half)
        for measure in sorted(codebook.measures, key=lambda m: codebook.measures[m].sort)
        for dim1, dim2 in codebook.breakdowns[measure]
        for half in (False, True)
    ]
    frames = []
    for step, view in enumerate(views):
        if progress:
            progress(step / len(views), f"{view.measure} {view.dim1} {view.dim2}")
        frame = gate.network(ref, view)
        if not frame.empty:
            frames.append(frame.assign(measure=view.measure, dim1=view.dim1, dim2=view.dim2, _table=step // 2))
    if not frames:
        return pd.DataFrame(columns=["measure", "dim1", "dim2", *gate.COLUMNS])
    cells = pd.concat(frames, ignore_index=True)
    # codebook order of measures and breakdowns; each year followed by its halves
    cells["_kind"] = cells["kind"].map({"Y": 0, "H1": 1, "H2": 2})
    cells = cells.sort_values(["_table", "year", "_kind", "code1", "code2"], kind="stable")
    return cells.drop(columns=["_table", "_kind"]).reset_index(drop=True)


def _label(dimension: str, code: str, lang: str) -> str:
    if dimension == TOTAL or code == TOTAL:
        return ""
    try:
        return load_codebook().label(dimension, code, lang)
    except KeyError:
        return code


def _write(rows: list[list[object]], header: list[str]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if v is None else v if isinstance(v, int) else neutralise(str(v)) for v in row])
    return buffer.getvalue().encode("utf-8")


def _value(value: object) -> int | None:
    return None if value is None or pd.isna(value) else int(value)  # type: ignore[call-overload]


def to_csv(cells: pd.DataFrame, version: int, lang: str) -> bytes:
    """One row per cell; value empty when hidden or not collected, the reason in `flag`."""
    codebook = load_codebook()
    rows = [
        [
            version,
            row.measure,
            codebook.measures[row.measure].label.get(lang),
            row.period,
            row.kind,
            row.dim1,
            row.code1,
            _label(row.dim1, row.code1, lang),
            row.dim2,
            row.code2,
            _label(row.dim2, row.code2, lang),
            _value(row.value),
            row.flag or "",
            int(row.members),
        ]
        for row in cells.itertuples(index=False)
    ]
    return _write(rows, CSV_COLUMNS)


def _time_period(year: int, kind: str) -> str:
    return str(year) if kind == "Y" else f"{year}-S{kind[1]}"


def _status(flag: str, table: tuple[tuple[str, str], ...], default: str) -> str:
    return next((code for letter, code in table if letter in flag), default)


def to_sdmx_csv(cells: pd.DataFrame) -> bytes:
    """SDMX-CSV 1.0: DATAFLOW, each codebook dimension (_T when unused), TIME_PERIOD, OBS_VALUE, attributes."""
    codebook = load_codebook()
    dimensions = sorted(codebook.dimensions, key=lambda d: codebook.dimensions[d].sort)
    header = ["DATAFLOW", "FREQ", "MEASURE", *(d.upper() for d in dimensions), "TIME_PERIOD", "OBS_VALUE"]
    header += ["UNIT_MEASURE", "OBS_STATUS", "CONF_STATUS"]
    rows = []
    for row in cells.itertuples(index=False):
        codes = {row.dim1: row.code1, row.dim2: row.code2}
        flag = row.flag or ""
        value = _value(row.value)
        hidden = _status(flag, CONF_STATUS, "F")
        missing = value is None and hidden == "F"
        rows.append(
            [
                DATAFLOW,
                FREQ[row.kind],
                row.measure,
                *(codes.get(d, TOTAL) for d in dimensions),
                _time_period(int(row.year), row.kind),
                value,
                UNIT[codebook.measures[row.measure].unit],
                "M" if missing else _status(flag, OBS_STATUS, "A"),
                hidden,
            ]
        )
    return _write(rows, header)
