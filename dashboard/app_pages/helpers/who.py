"""Helpers of the Who page: women and girls, men and boys; the countries to list."""

from __future__ import annotations

import pandas as pd

from dashboard.presenting import series
from etl.i18n import t

MINORS = "Y0_17"
MAX_COUNTRIES = 15


def women_girls_men_boys(sexes: pd.DataFrame, cross: pd.DataFrame, lang: str) -> list[tuple[str, str]]:
    """(label, text) for women and girls, girls, men and boys, boys.

    Women and men are the split by sex (every member that reports sex: the figure the
    Assistance System publishes too, the last protection hides); girls and boys are the
    minors' cells of the sex x age cross, as in the chart below them. A sum of age groups
    is not offered: one hidden group would make it a range, not a figure.
    """
    out = []
    for sex in ("F", "M"):
        everyone = sexes[sexes["code1"] == sex]
        minors = cross[(cross["code1"] == sex) & (cross["code2"] == MINORS)]
        for cell, key in ((everyone, f"who.all_{sex}"), (minors, f"who.minors_{sex}")):
            text = str(cell.iloc[0]["display"]) if not cell.empty else t("common.not_available", lang)
            out.append((t(key, lang), text))
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
