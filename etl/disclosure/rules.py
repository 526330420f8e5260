"""The rules of DATA-CONTRACT 8 that look at one cell at a time, and what a person sees.

The threshold is a setting (`get_settings().disclosure_threshold`, default 5, never
below 3); every function here takes it as an argument so nothing hard-codes 5.
"""

from __future__ import annotations

import pandas as pd

from etl.i18n import format_int, t

FLAG_SMALL = "c"  # hidden: a count from 1 to threshold-1
FLAG_SECONDARY = "d"  # hidden so that another hidden figure cannot be worked out
FLAG_PROVISIONAL = "p"
FLAG_ESTIMATED = "e"
FLAG_BREAK = "b"
FLAG_ORDER = (FLAG_SMALL, FLAG_SECONDARY, FLAG_PROVISIONAL, FLAG_ESTIMATED, FLAG_BREAK)
HIDDEN_FLAGS = (FLAG_SMALL, FLAG_SECONDARY)
SECONDARY_TEXT = "x"
# Input flags members may send (DATA-CONTRACT 6). R (revised) is not carried to
# published cells: the data versions already say what changed, and a cell-level
# "revised" mark would point at the cells one member corrected.
INPUT_FLAGS = {"P": FLAG_PROVISIONAL, "E": FLAG_ESTIMATED}

MIN_MEMBERS = 3  # a figure needs at least 3 reporting members (8.5: one member's figures are never public)
CROSS_ROW_MIN = 10  # 8.3: a cross row under 10 that falls entirely into one column is folded
SHARE_MIN_DENOMINATOR = 10  # 8.4


def is_small(value: object, threshold: int) -> bool:
    """A count of 1 to threshold-1: shown only as "<threshold"."""
    return pd.api.types.is_number(value) and not pd.isna(value) and 1 <= value < threshold  # type: ignore[operator]


def is_hidden(flag: object) -> bool:
    return isinstance(flag, str) and any(letter in flag for letter in HIDDEN_FLAGS)


def protect_counts(frame: pd.DataFrame, threshold: int, column: str = "value") -> pd.DataFrame:
    """The same rows with small counts hidden: value NaN, flag 'c' (the primary rule alone).

    For one organisation's own table or a quick check; published network tables go
    through `etl.disclosure.engine.protect_cluster`, which adds every other rule.
    """
    out = frame.copy()
    values = pd.to_numeric(out[column], errors="coerce")
    small = values.between(1, threshold - 1)
    out[column] = values.where(~small).astype("Float64")
    out["flag"] = pd.Series(pd.NA, index=out.index, dtype="string").mask(small, FLAG_SMALL)
    return out


def join_flags(letters: set[str] | str) -> str:
    """Flag letters in their fixed order ("cp", never "pc")."""
    return "".join(letter for letter in FLAG_ORDER if letter in letters)


def display_text(value: object, flag: object, threshold: int, lang: str) -> str:
    """What a person sees in a table cell: "<5", "x", "..", or the number."""
    if isinstance(flag, str) and FLAG_SMALL in flag:
        return f"<{threshold}"
    if isinstance(flag, str) and FLAG_SECONDARY in flag:
        return SECONDARY_TEXT
    if value is None or value is pd.NA or not pd.api.types.is_number(value) or pd.isna(value):
        return t("common.not_available", lang)
    return format_int(int(value), lang)  # type: ignore[call-overload]
