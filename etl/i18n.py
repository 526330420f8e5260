"""The one translation function, and locale-aware number and date formats.

Catalogues live in etl/locales/<lang>/*.toml; a key is the dotted path of TOML tables
("problem.unknown_code"). Files only group keys; a key may be defined in one file only.
Numbers in messages are formatted in the reader's locale (Finnish: 1 234, 12,5 %).
"""

from __future__ import annotations

import logging
import string
import tomllib
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any

from babel.dates import format_date as _babel_date
from babel.numbers import format_decimal, format_percent

LANGUAGES = ("fi", "sv", "en")  # every text a person reads is in each of them
LOCALES_DIR = Path(__file__).parent / "locales"
# English as used in Finland (CLDR en_FI) keeps Finnish number style: 1 234,5 and 12,5 %.
BABEL_LOCALE = {"fi": "fi_FI", "sv": "sv_FI", "en": "en_FI"}
log = logging.getLogger(__name__)


def _flatten(prefix: str, table: dict[str, Any], out: dict[str, str], source: Path) -> None:
    for name, value in table.items():
        key = f"{prefix}.{name}" if prefix else name
        if isinstance(value, dict):
            _flatten(key, value, out, source)
        elif key in out:
            raise ValueError(f"message {key} is defined twice (again in {source})")
        else:
            out[key] = str(value)


@cache
def catalogue(lang: str) -> dict[str, str]:
    """Every message of one language, keyed by dotted name."""
    messages: dict[str, str] = {}
    for path in sorted((LOCALES_DIR / lang).glob("*.toml")):
        with path.open("rb") as handle:
            _flatten("", tomllib.load(handle), messages, path)
    return messages


def check_lang(lang: str | None) -> str:
    return lang if lang in LANGUAGES else "fi"


def format_int(value: int | float, lang: str) -> str:
    return format_decimal(value, format="#,##0", locale=BABEL_LOCALE[check_lang(lang)])


def format_number(value: float, lang: str, decimals: int = 1) -> str:
    pattern = "#,##0." + "0" * decimals if decimals else "#,##0"
    return format_decimal(value, format=pattern, locale=BABEL_LOCALE[check_lang(lang)])


def format_percent_value(share: float, lang: str, decimals: int = 0) -> str:
    """`share` is a fraction (0.125); Finnish gives "12,5 %"."""
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "") + "\u00a0%"  # never wraps before %
    return format_percent(share, format=pattern, locale=BABEL_LOCALE[check_lang(lang)])


def format_date(value: date | datetime, lang: str) -> str:
    day = value.date() if isinstance(value, datetime) else value
    return _babel_date(day, format="long", locale=BABEL_LOCALE[check_lang(lang)])


def _format_param(value: Any, lang: str) -> Any:
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return format_int(value, lang)
    if isinstance(value, float):
        return format_number(value, lang)
    if isinstance(value, date | datetime):
        return format_date(value, lang)
    return value


@cache
def platform_names(lang: str) -> dict[str, str]:
    """The platform's official names (platform.toml), which every message may use as placeholders."""
    messages = catalogue(check_lang(lang))
    return {
        "platform": messages["platform.name"],
        "platform_short": messages["platform.short"],
        "coordinator": messages["platform.coordinator"],
    }


class _Params(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def t(key: str, lang: str, **params: Any) -> str:
    """The message `key` in `lang` with `params` filled in, numbers in local style.

    With `count=1`, the message `<key>_one` is used where the catalogue has one (the singular).
    """
    lang = check_lang(lang)
    text = catalogue(lang).get(key)
    if params.get("count") == 1:  # "1 upload is waiting", not "1 uploads are": a message's `_one` form, if it has one
        text = catalogue(lang).get(f"{key}_one", text)
    if text is None:
        log.warning("missing message %s in %s", key, lang)
        text = catalogue("en").get(key, key)
    values = _Params({**platform_names(lang), **{name: _format_param(v, lang) for name, v in params.items()}})
    return string.Formatter().vformat(text, (), values)
