"""Read a member's file into tables of text cells. Content decides the format, not the name."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

import pandas as pd

from etl.problems import Problem, RejectedError

ZIP_MAGIC = b"PK\x03\x04"


@dataclass
class Table:
    """One sheet or CSV file: every cell as text ('' when empty), headers as written."""

    frame: pd.DataFrame
    sheet: str | None = None
    first_row: int = 2  # file row number of the frame's first row (the header is row 1)


def sniff_kind(data: bytes) -> str | None:
    """'xlsx', 'csv' or None, judged from the bytes."""
    if data.startswith(ZIP_MAGIC):
        return "xlsx"
    try:
        data[:65536].decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < 65536 - 4:  # a character cut at the end of the sample is not a fault
            return None
    return "csv" if b"\x00" not in data[:65536] else None


def _decode(data: bytes) -> str:
    return data.decode("utf-8-sig")


def _delimiter(text: str) -> str:
    first_line = text.split("\n", 1)[0]
    try:
        return csv.Sniffer().sniff(first_line, delimiters=";,\t").delimiter
    except csv.Error:
        return ";"


def read_csv(data: bytes) -> Table:
    text = _decode(data)
    frame = pd.read_csv(
        io.StringIO(text),
        sep=_delimiter(text),
        dtype=str,
        keep_default_na=False,
        skip_blank_lines=True,
    )
    return Table(frame=frame)


def read_tables(data: bytes) -> list[Table]:
    kind = sniff_kind(data)
    if kind == "csv":
        return [read_csv(data)]
    raise RejectedError([Problem("not_a_table")])
