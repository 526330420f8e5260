"""Pure helpers of the Context page: what a reader is told about an official series' check."""

from __future__ import annotations

from typing import Any

import pandas as pd

from etl.i18n import format_date, t


def checked_line(reference: dict[str, Any], lang: str) -> str:
    """ "Not checked", or when staff checked the series against its source (versions before such checks: "")."""
    if not reference["verified"]:
        return t("context.unverified", lang)
    when = reference.get("verified_on")
    return "" if when is None or pd.isna(when) else t("context.verified_on", lang, date=format_date(when, lang))
