import re
import string

import pytest

from etl.i18n import LANGUAGES, catalogue, format_date, format_int, format_percent_value, t


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_language_has_the_same_keys():
    keys = {lang: set(catalogue(lang)) for lang in LANGUAGES}
    assert keys["fi"] == keys["sv"] == keys["en"]
    assert len(keys["fi"]) > 50


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_placeholders_match_finnish(lang):
    fi = catalogue("fi")
    other = catalogue(lang)
    mismatched = {key for key in fi if _fields(fi[key]) != _fields(other[key])}
    assert mismatched == set()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_message_is_empty(lang):
    assert [key for key, text in catalogue(lang).items() if not text.strip()] == []


def test_finnish_number_style_in_every_language():
    for lang in LANGUAGES:
        assert format_int(1234, lang) == "1\u00a0234"
        assert format_int(1234567, lang) == "1\u00a0234\u00a0567"
        assert format_percent_value(0.125, lang, decimals=1) == "12,5\u00a0%"
        assert format_percent_value(0.4, lang) == "40\u00a0%"


def test_dates_are_written_in_each_language():
    from datetime import date

    day = date(2026, 11, 28)
    assert format_date(day, "fi") == "28. marraskuuta 2026"
    assert format_date(day, "sv") == "28 november 2026"
    assert format_date(day, "en") == "28 November 2026"


def test_counts_in_messages_are_formatted_and_text_is_kept():
    message = t("cli.status_counts", "fi", orgs=12, periods=30, cells=17232)
    assert "17\u00a0232" in message
    assert re.search(r"\b12 organisaatiota", message)
    assert t("cli.demo_start", "en", seed="2024").count("2024") == 1


def test_unknown_language_falls_back_to_finnish():
    assert t("nav.overview", "de") == catalogue("fi")["nav.overview"]


PLATFORM_WORDS = {  # ways of writing the platform's or its coordinator's name that belong in platform.toml only
    "fi": ["IKV", "kansalaisjärjestöfoorumi", "Rikosuhripäivystys", "RIKU"],
    "sv": ["IKV", "plattform mot människohandel", "Brottsofferjouren", "RIKU"],
    "en": ["IKV", "Platform against Trafficking", "Victim Support", "RIKU"],
}
PLATFORM_NAMES = {
    "fi": "Ihmiskaupan vastainen kansalaisjärjestöfoorumi (IKV-verkosto)",
    "sv": "Medborgarorganisationernas plattform mot människohandel (IKV-nätverket)",
    "en": "Finnish Civil Society Platform against Trafficking in Human Beings (IKV Platform)",
}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_platforms_names_are_written_once_and_used_everywhere(lang):
    written = {
        key: word
        for key, text in catalogue(lang).items()
        for word in PLATFORM_WORDS[lang]
        if word in text and not key.startswith("platform.")
    }
    assert written == {}  # a message names the platform through {platform}, {platform_short}, {coordinator}
    assert t("exports.network", lang) == PLATFORM_NAMES[lang]
    coordinator = catalogue(lang)["platform.coordinator"]
    for key in ("login.intro", "exports.citation_long"):  # the sign-in page and every citation
        text = t(key, lang, network=t("exports.network", lang))  # as dashboard/exports/citation.py fills it
        assert catalogue(lang)["platform.name"] in text and coordinator in text and "{platform" not in text


def test_a_count_of_one_reads_in_the_singular_where_the_catalogue_says_so():
    assert t("workspace.submissions.waiting", "en", count=1) == "1 upload is waiting for approval."
    assert t("workspace.submissions.waiting", "en", count=2) == "2 uploads are waiting for approval."
    assert t("workspace.submissions.waiting", "fi", count=1) == "1 lataus odottaa hyväksyntää."
    assert t("workspace.total", "en", count=1) == t("workspace.total", "en")  # no `_one` form: the message itself
