"""Switching the language keeps the view: the same codes in the address, every choice relabelled.

Before the fix the Finnish page kept showing the English label of the chosen measure, and
the next switch dropped the measure (the browser sent the old label back, which the new
language's options did not have).
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from bench.harness.browser import choose_language, open_page, sign_in
from etl.codebook import load_codebook
from etl.i18n import t
from tests.e2e.conftest import demo_account

pytestmark = pytest.mark.e2e
VIEW = {"m": "REF_TO_NAS", "b": "nas_status", "g": "bars"}


def _view(page) -> dict[str, str]:
    query = parse_qs(urlsplit(page.url).query)
    return {key: query[key][0] for key in VIEW if key in query}


def _choices(page) -> list[str]:
    boxes = page.locator('[data-testid="stMain"]').get_by_role("combobox")
    return [boxes.nth(i).input_value() for i in range(2)]


def test_the_view_survives_every_language_switch_in_the_new_language(dashboard, page):
    book = load_codebook()
    member = demo_account("member")
    open_page(page, f"{dashboard.url}/trends?lang=en&" + "&".join(f"{k}={v}" for k, v in VIEW.items()))
    sign_in(page, member.username, member.password, "en")
    for lang in ("fi", "sv", "en", "sv"):
        choose_language(page, lang)
        assert _view(page) == VIEW, lang
        measure, breakdown = book.measures["REF_TO_NAS"].label.get(lang), book.dimensions["nas_status"].label.get(lang)
        assert _choices(page) == [measure, breakdown], lang
        assert page.get_by_role("radio", name=t("trends.chart_bars", lang), exact=True).is_checked()
        page.wait_for_function("(lang) => document.documentElement.lang === lang", arg=lang)  # for screen readers
