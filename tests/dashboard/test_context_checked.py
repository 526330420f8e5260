"""The Context page says whether an official series was checked against its source, and when."""

from datetime import date

import pandas as pd
import pytest

from dashboard.app_pages.helpers.context import checked_line
from etl.i18n import format_date, t


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_a_checked_series_says_when_and_an_unchecked_one_says_so(lang):
    when = date(2026, 11, 30)
    assert checked_line({"verified": True, "verified_on": pd.Timestamp(when)}, lang) == t(
        "context.verified_on", lang, date=format_date(when, lang)
    )
    assert checked_line({"verified": False, "verified_on": None}, lang) == t("context.unverified", lang)
    assert format_date(when, lang) in checked_line({"verified": True, "verified_on": when}, lang)


def test_a_version_published_before_checks_were_dated_says_nothing_more():
    assert checked_line({"verified": True}, "en") == ""
    assert checked_line({"verified": True, "verified_on": pd.NaT}, "en") == ""
