"""Helpers of the Who page: women, girls, men and boys from the sex x age cross; the countries to list."""

from __future__ import annotations

import pandas as pd

from dashboard import series, tables
from etl.i18n import t

MINORS = "Y0_17"
NOT_ADULT = {MINORS, "UNK"}
MAX_COUNTRIES = 15


def women_girls_men_boys(cross: pd.DataFrame, threshold: int, lang: str) -> list[tuple[str, str]]:
    """(label, text) for women, girls, men, boys: girls and boys are cells, women and men sums over adult ages."""
    out = []
    for sex in ("F", "M"):
        cells = cross[cross["code1"] == sex]
        adults = cells[~cells["code2"].isin(NOT_ADULT)]
        grown = series.bounded_sum(adults["value"].tolist(), adults["flag"].tolist(), threshold)
        minors = cells[cells["code2"] == MINORS]
        young = str(minors.iloc[0]["display"]) if not minors.empty else t("common.not_available", lang)
        adult_text = tables.bounds_text(grown, lang, threshold) if not adults.empty else t("common.not_available", lang)
        out.append((t(f"who.adults_{sex}", lang), adult_text))
        out.append((t(f"who.minors_{sex}", lang), young))
    return out


def largest_countries(countries: pd.DataFrame) -> pd.DataFrame:
    """The countries that may be named, largest first, at most MAX_COUNTRIES (zeros are left out).

    The "other countries" of each citizenship group, into which disclosure control
    folds every country under the threshold, come last and are always listed.
    """
    shown = countries[countries["value"].fillna(0) > 0]
    folded = shown["code1"].isin(series.FOLDED_COUNTRIES)
    # ties at the cut go by country code, so the same data always names the same countries
    named = shown[~folded].sort_values(["value", "code1"], ascending=[False, True]).head(MAX_COUNTRIES)
    other = shown[folded].sort_values("code1", key=lambda codes: codes.map(series.FOLDED_COUNTRIES.index))
    return pd.concat([named, other]).reset_index(drop=True)
