"""Disclosure control: the one gate every member and public output passes (DATA-CONTRACT 8).

Foundation version: the threshold rule. Secondary suppression, folding, shares
and subsets are added in the disclosure issue, in this module.
"""

from __future__ import annotations

import pandas as pd

from etl.i18n import format_int, t

FLAG_SMALL = "c"
FLAG_SECONDARY = "d"
SECONDARY_TEXT = "x"


def is_small(value: object, threshold: int) -> bool:
    """A count of 1 to threshold-1: shown only as "<threshold"."""
    return pd.api.types.is_number(value) and not pd.isna(value) and 1 <= value < threshold  # type: ignore[operator]


def protect_counts(frame: pd.DataFrame, threshold: int, column: str = "value") -> pd.DataFrame:
    """The same rows with small counts hidden: value NaN, flag 'c'."""
    out = frame.copy()
    values = pd.to_numeric(out[column], errors="coerce")
    small = values.between(1, threshold - 1)
    out[column] = values.where(~small).astype("Float64")
    out["flag"] = pd.Series(pd.NA, index=out.index, dtype="string").mask(small, FLAG_SMALL)
    return out


def display_text(value: object, flag: object, threshold: int, lang: str) -> str:
    """What a person sees in a table cell."""
    if isinstance(flag, str) and FLAG_SMALL in flag:
        return f"<{threshold}"
    if isinstance(flag, str) and FLAG_SECONDARY in flag:
        return SECONDARY_TEXT
    if value is None or value is pd.NA or not pd.api.types.is_number(value) or pd.isna(value):
        return t("common.not_available", lang)
    return format_int(int(value), lang)  # type: ignore[call-overload]


def explain_protection(lang: str, threshold: int) -> str:
    """The "How figures are protected" text for the methods page, from the actual settings."""
    return t("disclosure.explain_threshold", lang, threshold=str(threshold), below=str(threshold - 1))
