"""Helpers of the Who page: women and girls, men and boys from the sex x age cross; the countries to list."""

from __future__ import annotations

import pandas as pd

from dashboard.presenting import series
from etl.codebook import TOTAL
from etl.i18n import t

MINORS = "Y0_17"
MAX_COUNTRIES = 15


def women_girls_men_boys(cross: pd.DataFrame, lang: str) -> list[tuple[str, str]]:
    """(label, text) for women and girls, girls, men and boys, boys: the cross's sex margins and minors' cells.

    All four from the one cross, so they count the same members as the chart below them.
    A sum of age groups is not offered: one hidden group would make it a range, not a figure.
    """
    out = []
    for sex in ("F", "M"):
        for age, key in ((TOTAL, f"who.all_{sex}"), (MINORS, f"who.minors_{sex}")):
            cell = cross[(cross["code1"] == sex) & (cross["code2"] == age)]
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
