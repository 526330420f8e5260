"""Reading a CSV file: its encoding, delimiter and header, and its body (pyarrow, or csv to name bad rows)."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pa_csv

from etl.config import Settings, get_settings
from etl.intake.problems import Problem, RejectedError, rejected
from etl.intake.sniff import SAMPLE_BYTES, UTF8_BOM, UTF32_BOMS, Table, looks_like_utf16

DELIMITERS = (";", "\t", ",")  # in order of preference when the header line has as many of each
MAX_ROW_PROBLEMS = 100

_IS_CONTROL = np.zeros(256, dtype=bool)
_IS_CONTROL[[*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x1A), *range(0x1B, 0x20), 0x7F]] = True
# UTF-8 bytes of the letters a Finnish or Swedish file has (å ä ö Å Ä Ö é ü Ü, no-break spaces):
# found in a file that is not valid UTF-8, they mean two encodings are mixed in one file.
_UTF8_NORDIC = re.compile(rb"\xc3[\x84\x85\x96\xa4\xa5\xb6\x89\xa9\x9c\xbc]|\xc2\xa0|\xe2\x80\xaf")
# UTF-8 read as Windows-1252 ("PakkotyÃ¶"): text garbled before it reached us.
_CP1252_HIGH = bytes(range(0x80, 0xC0)).decode("cp1252", errors="ignore")
_MOJIBAKE = re.compile("Ã[" + re.escape(_CP1252_HIGH) + "]|â€|Â[\u00a0-\u00bf]")
_LINE_END = re.compile(r"\r\n|\n|\r")
_NOT_SPACE = re.compile(rb"[^ \t\r\n\x1a]")
_SEP_HINT = re.compile(r"^sep=(.)$", re.IGNORECASE)  # Excel's own first-line delimiter hint


def decode_text(data: bytes) -> tuple[str, str]:
    """The text of a CSV file and the encoding it was in; a RejectedError when it is not UTF-8 or cp1252."""
    if looks_like_utf16(data[:SAMPLE_BYTES]):
        name = "UTF-32" if data.startswith(UTF32_BOMS) else "UTF-16"
        raise rejected("unsupported_encoding", params={"encoding": name})
    if data.startswith(UTF8_BOM):
        encoding, body = "UTF-8-BOM", data[len(UTF8_BOM) :]
    else:
        encoding, body = "UTF-8", data
    if _IS_CONTROL[np.frombuffer(body, dtype=np.uint8)].any():
        raise rejected("not_a_table")
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        if _UTF8_NORDIC.search(body):
            raise rejected("mixed_encoding") from None
        try:
            text, encoding = body.decode("cp1252"), "Windows-1252"
        except UnicodeDecodeError:
            raise rejected("unsupported_encoding", params={"encoding": "?"}) from None
    if not text.isascii():
        garbled = _MOJIBAKE.search(text)
        if garbled:
            row = len(_LINE_END.findall(text, 0, garbled.start())) + 1
            raise rejected("garbled_text", row=row)
    return text, encoding


def _lines(text: str) -> Iterator[tuple[int, int, str]]:
    """(line number, offset after the line end, line) for the first lines of a text."""
    start, number = 0, 1
    for match in _LINE_END.finditer(text):
        yield number, match.end(), text[start : match.start()]
        start, number = match.end(), number + 1
    if start < len(text):
        yield number, len(text), text[start:]


def _count_outside_quotes(line: str, char: str) -> int:
    return re.sub(r'"[^"]*"', "", line).count(char)


def detect_delimiter(header_line: str) -> str:
    """The delimiter the header line uses most (`;` before tab before `,` when as many)."""
    counts = {d: _count_outside_quotes(header_line, d) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ";"


def _header(text: str) -> tuple[list[str], str, int, int]:
    """Header cells, delimiter, the header's line number, and the offset where the body starts.

    Leading empty lines are skipped; Excel's `sep=;` hint line is honoured.
    """
    delimiter = None
    for number, end, line in _lines(text):
        if not line.strip():
            continue
        hint = _SEP_HINT.match(line.strip())
        if hint and delimiter is None:
            delimiter = hint.group(1)
            continue
        delimiter = delimiter or detect_delimiter(line)
        cells = next(csv.reader([line], delimiter=delimiter), [])
        return cells, delimiter, number, end
    return [], delimiter or ";", 1, len(text)


def _fast_body(body: memoryview | bytes, width: int, delimiter: str) -> pd.DataFrame | None:
    """The body parsed by pyarrow, or None when some row does not fit (the slow path explains)."""
    names = [f"c{i}" for i in range(width)]
    bad: list[int] = []

    def on_bad_row(row: Any) -> str:
        bad.append(1)
        return "skip"

    try:
        parsed = pa_csv.read_csv(
            pa.BufferReader(pa.py_buffer(body)),
            read_options=pa_csv.ReadOptions(column_names=names),
            parse_options=pa_csv.ParseOptions(
                delimiter=delimiter,
                newlines_in_values=True,
                ignore_empty_lines=False,
                invalid_row_handler=on_bad_row,
            ),
            convert_options=pa_csv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.large_string()),
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except (pa.ArrowInvalid, pa.ArrowTypeError, ValueError):
        return None
    if bad:
        return None
    return parsed.to_pandas()


def _slow_body(body: str, width: int, delimiter: str, first_row: int) -> pd.DataFrame:
    """Parse with the csv module, row by row; reject every row whose field count differs from the header."""
    records: list[list[str]] = []
    problems: list[Problem] = []
    for offset, record in enumerate(csv.reader(io.StringIO(body, newline=""), delimiter=delimiter)):
        misfit = record and len(record) != width and any(cell.strip() for cell in record)
        if misfit and len(problems) < MAX_ROW_PROBLEMS:
            problems.append(
                Problem("wrong_field_count", row=first_row + offset, params={"expected": width, "found": len(record)})
            )
        records.append(record if len(record) == width else [""] * width)
    if problems:
        raise RejectedError(problems)
    return pd.DataFrame(records, columns=[f"c{i}" for i in range(width)], dtype="str")


def _drop_empty_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows with no text at all (blank lines, `;;;;`) go; the others keep their labels (= row offsets)."""
    if frame.empty:
        return frame
    first_empty = frame.iloc[:, 0].str.strip() == ""
    if not first_empty.any():
        return frame
    empty = first_empty.copy()
    for name in frame.columns[1:]:
        empty &= frame[name].str.strip() == ""
    return frame[~empty]


def read_csv(data: bytes, settings: Settings | None = None) -> Table:
    """One CSV file as a Table (a RejectedError when it cannot be read)."""
    settings = settings or get_settings()
    if data.count(b"\n") > settings.max_rows + 2:
        raise rejected("too_many_rows", params={"limit": settings.max_rows})
    text, encoding = decode_text(data)
    headers, delimiter, header_line, body_start = _header(text)
    if not headers:
        raise rejected("empty_file")
    first_row = header_line + 1
    width = len(headers)
    if encoding.startswith("UTF-8"):  # hand pyarrow the file's own bytes: no copy of a large body
        offset = (len(UTF8_BOM) if encoding == "UTF-8-BOM" else 0) + len(text[:body_start].encode("utf-8"))
        body_bytes: memoryview | bytes = memoryview(data)[offset:]
    else:
        body_bytes = text[body_start:].encode("utf-8")
    if _NOT_SPACE.search(body_bytes) is None:
        frame = pd.DataFrame({f"c{i}": pd.Series([], dtype="str") for i in range(width)})
    else:
        fast = _fast_body(body_bytes, width, delimiter)
        frame = fast if fast is not None else _slow_body(text[body_start:], width, delimiter, first_row)
    if len(frame) > settings.max_rows:  # line breaks other than LF escape the count above
        raise rejected("too_many_rows", params={"limit": settings.max_rows})
    frame = _drop_empty_rows(frame)  # before the headers are set: they may repeat
    frame.columns = pd.Index(headers, dtype=object)
    return Table(frame=frame, sheet=None, first_row=first_row)
