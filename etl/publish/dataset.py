"""The whole published, protected dataset of one data version, for researchers and statistics offices.

The Download page and `python -m etl dataset` both write it with these functions, so
the files are the same. Every offered network cell of every allowed (measure,
breakdown), for calendar years and half-years, as the snapshot's protection stored
it (or protected anew when the threshold setting has changed since). Two shapes: a
plain CSV with labels in the chosen language, and SDMX-CSV 1.0 with OBS_STATUS and
CONF_STATUS attributes. Text never runs as a spreadsheet formula.
"""

from __future__ import annotations

import csv
import io
import textwrap
from datetime import date, datetime
from pathlib import Path

import pandas as pd

from etl import disclosure
from etl.codebook import TOTAL, load_codebook
from etl.i18n import t
from etl.sqlfiles import open_snapshot, read_sql

SQL = Path(__file__).parent.parent / "sql" / "dataset" / "cells.sql"
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
# Characters that make a spreadsheet treat a cell as a formula (OWASP), with their full-width forms.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
COLUMNS = ["measure", "dim1", "dim2", "period", "year", "kind", "code1", "code2", "value", "flag", "members"]
WITHHELD = ("members", "group", "unsafe", "empty", "fold_row")


def neutralise(text: str) -> str:
    """A text cell that no spreadsheet will run as a formula."""
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def published_cells(path: Path, threshold: int, priors: list[Path]) -> pd.DataFrame:
    """Every offered network cell of the snapshot at `path`, in codebook order (each year, then its halves)."""
    with open_snapshot(path) as con:
        stored = con.execute("SELECT threshold FROM disclosure_meta").fetchone()
        cells = con.execute(read_sql(SQL)).df() if stored and int(stored[0]) == threshold else None
    if cells is None:  # the setting changed since publishing: protected anew, as publishing would now
        protected = disclosure.protect_snapshot(path, threshold, priors)
        inner = ((protected["dim1"] == TOTAL) | (protected["code1"] != TOTAL)) & (
            (protected["dim2"] == TOTAL) | (protected["code2"] != TOTAL)
        )
        offered = protected["reason"].isna() | ~protected["reason"].isin(WITHHELD)
        cells = protected[(protected["subset"] == "all") & offered & inner][COLUMNS]
    return _ordered(cells)


def _ordered(cells: pd.DataFrame) -> pd.DataFrame:
    book = load_codebook()
    measure_order = {m: book.measures[m].sort for m in book.measures}
    table_order = {(m, d1, d2): i for m, pairs in book.breakdowns.items() for i, (d1, d2) in enumerate(pairs)}
    out = cells.assign(
        _measure=cells["measure"].map(measure_order),
        _table=[table_order.get(key, 999) for key in zip(cells["measure"], cells["dim1"], cells["dim2"], strict=True)],
        _kind=cells["kind"].map({"Y": 0, "H1": 1, "H2": 2}),
    )
    out = out.sort_values(["_measure", "_table", "year", "_kind", "code1", "code2"], kind="stable")
    out = out.drop(columns=["_measure", "_table", "_kind"]).reset_index(drop=True)
    out["value"] = pd.array(out["value"], dtype="Int64")
    out["flag"] = out["flag"].fillna("").astype(str)
    out["year"] = out["year"].astype("int64")
    out["members"] = out["members"].astype("int64")
    return out


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
    return _write(rows(cells, version, lang), CSV_COLUMNS)


def rows(cells: pd.DataFrame, version: int, lang: str) -> list[list[object]]:
    """The CSV's rows (columns CSV_COLUMNS), before they are written: the open data interface's JSON too."""
    codebook = load_codebook()
    return [
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


README_WIDTH = 100


def readme(
    version: int, published: datetime, retrieved: date, lang: str, threshold: int, licence: str, synthetic: bool
) -> str:
    """The plain-text file that goes beside the dataset: source, licence, version, columns, notation, protection."""
    meanings = disclosure.flag_descriptions(lang, threshold)
    notation = [
        f"<{threshold} (c): {meanings['c']}",
        f"{disclosure.SECONDARY_TEXT} (d): {meanings['d']}",
        f"..: {t('exports.dataset_readme.not_available', lang)}",
        f"0: {t('exports.dataset_readme.zero', lang)}",
        *(f"{letter}: {meanings[letter]}" for letter in "peb"),
    ]
    columns = t("exports.dataset_page.columns", lang).replace("**", "").replace("`", "").strip().split("\n\n")
    sections = [
        ("", [t("exports.dataset_readme.title", lang, version=version)]),
        ("source", [t("exports.dataset_readme.source", lang, version=version, published=published,
                      retrieved=retrieved), f"{t('exports.licence', lang)}: {licence}"]),
        ("", [t("exports.synthetic", lang)] if synthetic else []),
        ("columns", columns),
        ("notation", [f"- {line}" for line in notation]),
        ("protection", disclosure.explain_protection_text(lang, threshold)),
    ]  # fmt: skip
    lines: list[str] = []
    for heading, paragraphs in sections:
        if not paragraphs:
            continue
        if heading:
            title = t(f"exports.dataset_readme.{heading}_title", lang)
            lines += [title, "-" * len(title)]
        for index, paragraph in enumerate(paragraphs):
            bullet = paragraph.startswith("- ")
            if index and not bullet:
                lines.append("")  # a blank line between paragraphs; list items follow each other
            lines += textwrap.wrap(
                paragraph, README_WIDTH, subsequent_indent="  " if bullet else "", break_long_words=False
            )
        lines.append("")
    return "\n".join(lines).strip() + "\n"


def readme_name(version: int, lang: str) -> str:
    return f"tilannekuva-v{version}-{lang}-README.txt"
