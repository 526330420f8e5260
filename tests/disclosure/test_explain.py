"""The "How figures are protected" section says what the settings make the platform do."""

import pytest

from etl.disclosure import explain_protection, flag_descriptions
from etl.disclosure.explain import SECTIONS
from etl.i18n import t


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
@pytest.mark.parametrize("threshold", [3, 5, 10])
def test_the_section_is_complete_and_follows_the_threshold(lang, threshold):
    text = explain_protection(lang, threshold)
    assert text.startswith(f"### {t('disclosure.explain.title', lang)}")
    for section in SECTIONS:
        assert t(f"disclosure.explain.{section}_title", lang) in text
    assert f"`<{threshold}`" in text
    assert f"1–{threshold - 1}" in text or f"1 to {threshold - 1}" in text or f"1 till {threshold - 1}" in text
    assert "`x`" in text
    for letter in "pbe":
        assert f"| `{letter}` |" in text
    other = 5 if threshold != 5 else 7
    assert f"`<{other}`" not in text


def test_flag_descriptions_exist_in_every_language():
    for lang in ("fi", "sv", "en"):
        assert set(flag_descriptions(lang, 5)) == {"c", "d", "p", "e", "b"}
    assert flag_descriptions("fi", 10)["c"] == "1–9 henkilöä (piilotettu pieni luku)"


@pytest.mark.parametrize(("lang", "threshold"), [("fi", 10), ("sv", 10), ("en", 10)])
def test_the_methods_page_shows_the_section_for_the_threshold_in_force(tiny_settings, monkeypatch, lang, threshold):
    from tests.helpers import open_page

    monkeypatch.setenv("TILANNEKUVA_THRESHOLD", str(threshold))
    at = open_page("methods.py", lang)  # every version is protected again at the new threshold: tiny, so quick
    assert not at.exception
    shown = "\n".join(block.value for block in at.markdown)
    assert explain_protection(lang, threshold, heading=False) in shown
    # One heading for the section: the page's own, not a second one inside the text.
    assert t("disclosure.explain.title", lang) not in shown
    assert t("methods.protection", lang) in [block.value for block in at.header]
    assert f"`<{threshold}`" in shown and "`<5`" not in shown
