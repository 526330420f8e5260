"""Streamlit's fixed English words and their translations (dashboard/components/streamlit_words.py)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import streamlit

from dashboard.components.streamlit_words import PLACEHOLDER, PREFIX, script, words
from etl.i18n import catalogue

STATIC = Path(streamlit.__file__).parent / "static" / "static" / "js"


def _english() -> list[str]:
    return [key.removeprefix(PREFIX) for key in catalogue("en") if key.startswith(PREFIX)]


def _bundle() -> str:
    return "\n".join(path.read_text(encoding="utf-8", errors="replace") for path in STATIC.glob("*.js"))


# A text input's instruction is composed in the bundle: `Press ${key}+Enter to ${action}`
COMPOSED = {"Press Enter to ": "`Press Enter to ${e}`", "Press Ctrl+Enter to ": "`Ctrl`", "Press ⌘+Enter to ": "`⌘`"}


def _composed(english: str, bundle: str) -> bool:
    start = next((start for start in COMPOSED if english.startswith(start)), None)
    parts = [COMPOSED[start], "+Enter to ${e}`", f"`{english.removeprefix(start)}`"] if start else []
    return bool(parts) and all(part in bundle for part in parts)


def test_every_word_is_one_streamlit_writes():
    """A Streamlit upgrade that rewords one of them makes this fail: the word would stay English."""
    bundle = _bundle()
    for english in _english():
        if _composed(english, bundle):
            continue
        first, *rest = PLACEHOLDER.split(english)[::2]  # the words between the parts Streamlit fills in
        assert ("`" + first if first else rest[0]) in bundle, english
        assert all(part in bundle for part in rest), english


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_every_word_has_a_translation_with_the_same_parts(lang):
    ours = catalogue(lang)
    for english in _english():
        text = ours[PREFIX + english]
        assert text != english, (lang, english)
        assert PLACEHOLDER.findall(text) == PLACEHOLDER.findall(english), (lang, english)


def _apply(lang: str, text: str) -> str:
    fixed, patterns = words(lang)
    if text in fixed:
        return fixed[text]
    for pattern, replacement in patterns:
        if re.match(pattern, text):
            return re.sub(pattern, re.sub(r"\$(\d)", r"\\\1", replacement), text)
    return text


def test_words_with_a_part_keep_the_part():
    assert _apply("fi", "Remove lomake (2).xlsx") == "Poista lomake (2).xlsx"
    assert _apply("sv", "Cancel upload of lomake.xlsx") == "Avbryt uppladdningen av lomake.xlsx"
    assert _apply("sv", "View 5 more") == "Visa 5 till"
    assert _apply("fi", "Sort ascending") == "Lajittele nousevasti"
    assert _apply("sv", "Press Enter to submit form") == "Tryck på Enter för att skicka formuläret"
    assert _apply("sv", "File is too large. Maximum size is 10485760 bytes.") == (
        "Filen är för stor. Största storlek är 10485760 byte."
    )
    assert _apply("fi", "File is too large? Maximum size is 1 bytes.") == "File is too large? Maximum size is 1 bytes."
    assert _apply("fi", "text/plain files are not allowed.") == "Tiedostotyyppiä text/plain ei hyväksytä."
    assert _apply("fi", "Naiset") == "Naiset"  # anything else is left alone


def test_english_pages_get_no_words_and_no_script_can_close_early():
    assert words("en") == ({}, [])
    for lang in ("fi", "sv", "en"):
        page_script = script(lang)
        assert page_script.count("</script>") == 1 and page_script.endswith("</script>")
        assert f'const [lang, words, patterns] = ["{lang}"' in page_script
