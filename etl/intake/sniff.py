"""What kind of file is it: the first look at a member's bytes, before anything parses them.

Shared by screening (which refuses dangerous files) and the readers (which parse the rest).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

ZIP_MAGIC = b"PK\x03\x04"
UTF8_BOM = b"\xef\xbb\xbf"
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
UTF32_BOMS = (b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")
SAMPLE_BYTES = 65536
# Control characters never occur in a text table (tab, LF and CR do; Ctrl-Z ends old DOS files).
# UTF-8 and Windows-1252 keep them as the same single bytes, so the bytes are checked, all at once.
_CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x19\x1b-\x1f\x7f]")


@dataclass
class Table:
    """One sheet or CSV file: every cell as text ('' when empty), headers as written."""

    frame: pd.DataFrame
    sheet: str | None = None
    first_row: int = 2  # file row number of the frame's first row (the header is row 1)


def looks_like_utf16(sample: bytes) -> bool:
    """UTF-16 or UTF-32 text, with or without a byte-order mark (every other byte NUL)."""
    if sample.startswith(UTF16_BOMS + UTF32_BOMS):
        return True
    head = sample[:4096]
    if len(head) < 4:
        return False
    half = len(head) / 2
    even, odd = head[0::2].count(0), head[1::2].count(0)
    # Latin text in UTF-16 has a NUL in every other byte and almost none in between; binary has both.
    return max(even, odd) > 0.3 * half and min(even, odd) < 0.05 * half


def is_text(sample: bytes) -> bool:
    """Text in some encoding: no control characters (or UTF-16, which the reader names as such)."""
    if looks_like_utf16(sample):
        return True
    return _CONTROL_BYTES.search(sample) is None


def sniff_kind(data: bytes) -> str | None:
    """'xlsx', 'csv' or None, judged from the bytes (a ZIP is checked for being a workbook later)."""
    if data.startswith(ZIP_MAGIC):
        return "xlsx"
    return "csv" if data and is_text(data[:SAMPLE_BYTES]) else None
