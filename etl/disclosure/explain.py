"""What people read about protection: the methods-page section, legends, flag descriptions.

Every number in these texts comes from the settings and the rule constants, so the
explanation always says what the platform actually does.
"""

from __future__ import annotations

import pandas as pd

from etl.config import get_settings
from etl.disclosure.rules import (
    CROSS_ROW_MIN,
    FLAG_ORDER,
    FLAG_SMALL,
    MIN_MEMBERS,
    SECONDARY_TEXT,
    SHARE_MIN_DENOMINATOR,
)
from etl.i18n import t

SECTIONS = (
    "threshold",
    "secondary",
    "groups",
    "cross",
    "shares",
    "organisations",
    "halves",
    "like_for_like",
    "versions",
    "flags",
    "proof",
)


def _params(threshold: int) -> dict[str, str]:
    return {
        "threshold": str(threshold),
        "below": str(threshold - 1),
        "cross_min": str(CROSS_ROW_MIN),
        "share_min": str(SHARE_MIN_DENOMINATOR),
        "min_members": str(MIN_MEMBERS),
        "secondary": SECONDARY_TEXT,
    }


def explain_protection(lang: str, threshold: int, heading: bool = True) -> str:
    """The "How figures are protected" section (Markdown); `heading=False` for a page that titles it itself."""
    parts = [f"### {t('disclosure.explain.title', lang)}", ""] if heading else []
    parts.append(t("disclosure.explain.intro", lang))
    for section in SECTIONS:
        title = t(f"disclosure.explain.{section}_title", lang)
        parts += ["", f"**{title}** {t(f'disclosure.explain.{section}', lang, **_params(threshold))}"]
    parts += ["", flag_table(lang, threshold)]
    return "\n".join(parts) + "\n"


def explain_protection_text(lang: str, threshold: int) -> list[str]:
    """The same rules as plain paragraphs for a file's reader (no Markdown, no notation table, no test notes)."""
    paragraphs = [t("disclosure.explain.intro", lang)]
    for section in SECTIONS[: SECTIONS.index("flags")]:
        title = t(f"disclosure.explain.{section}_title", lang)
        paragraphs.append(f"{title} {t(f'disclosure.explain.{section}', lang, **_params(threshold))}")
    return [paragraph.replace("`", "") for paragraph in paragraphs]


def flag_descriptions(lang: str, threshold: int | None = None) -> dict[str, str]:
    """Each flag letter, and what it means, in `lang` (the letters are the same in every language)."""
    threshold = threshold or get_settings().disclosure_threshold
    return {
        letter: t(f"disclosure.flag.{letter}", lang, threshold=str(threshold), below=str(threshold - 1))
        for letter in FLAG_ORDER
    }


def symbol(letter: str, threshold: int) -> str:
    """How a flag shows in a table cell: `<5` for c, `x` for d, the letter itself otherwise."""
    if letter == FLAG_SMALL:
        return f"<{threshold}"
    return SECONDARY_TEXT if letter == "d" else letter


def symbol_lines(letters: set[str], lang: str, threshold: int) -> list[str]:
    """ "<5: 1–4 persons (hidden: a small count)" for each protection symbol among `letters` (c, d): the one
    wording of the notation under every chart, on every image and in every file (DATA-CONTRACT 8.9)."""
    meanings = flag_descriptions(lang, threshold)
    return [f"{symbol(letter, threshold)}: {meanings[letter]}" for letter in (FLAG_SMALL, "d") if letter in letters]


def flag_table(lang: str, threshold: int) -> str:
    """A Markdown table of every symbol and flag."""
    rows = [f"| {t('disclosure.symbol', lang)} | {t('disclosure.meaning', lang)} |", "| --- | --- |"]
    for letter, text in flag_descriptions(lang, threshold).items():
        rows.append(f"| `{symbol(letter, threshold)}` | {text} |")
    return "\n".join(rows)


def legend(frame: pd.DataFrame, lang: str, threshold: int | None = None) -> str | None:
    """The legend a chart, table or export needs: one line for the flags it contains, or None.

    `frame` has a `flag` column (gate.network output). Every output that contains a
    hidden cell must show this text (DATA-CONTRACT 8.6).
    """
    threshold = threshold or get_settings().disclosure_threshold
    present = set("".join(str(f) for f in frame["flag"].dropna()))
    letters = [letter for letter in FLAG_ORDER if letter in present]
    if not letters:
        return None
    descriptions = flag_descriptions(lang, threshold)
    items = [f"{symbol(letter, threshold)} = {descriptions[letter]}" for letter in letters]
    return t("disclosure.legend", lang, items="; ".join(items))
