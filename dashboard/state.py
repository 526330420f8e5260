"""View state that lives in the URL, so a copied link reopens the same view.

Widgets are seeded from the query string on a session's first run and write
their value back on every run. Values are codes, never translated labels, so a
link copied in Finnish opens the same view in Swedish. A value equal to the
default is left out of the URL, so links stay short and defaults can follow the
data (for example "the latest year").

`encode` and `decode` are pure; `url_widget` and `url_toggle` bind them to a widget.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import streamlit as st

from etl.i18n import LANGUAGES

LANGUAGE_NAMES = {"fi": "Suomi", "sv": "Svenska", "en": "English"}
PAGE_KEY = "_url_page"  # the page this run shows (set by dashboard.navigation before the page runs)
SEEDED_KEY = "_url_seeded"  # widget key -> the page its value was seeded on
LABELLED_KEY = "_url_labelled"  # widget key -> the language its options were last labelled in
LIST_SEPARATOR = ","
TRUE, FALSE = "1", "0"


def code_of(option: Any) -> str:
    """The text an option has in the URL."""
    if isinstance(option, bool):
        return TRUE if option else FALSE
    return str(option)


def encode(value: Any, default: Any) -> str | None:
    """The query-string text of a widget value, or None when it is the default (left out)."""
    if value is None or _same(value, default):
        return None
    if isinstance(value, list | tuple):
        return LIST_SEPARATOR.join(code_of(item) for item in value)
    return code_of(value)


def decode(raw: str | None, options: Sequence[Any], default: Any) -> Any:
    """The widget value a query-string text stands for; the default when it names nothing valid.

    A list default reads a list (unknown items dropped); a tuple default reads a
    tuple of the same length (a range); anything else reads one option.
    """
    if raw is None:
        return default
    by_code = {code_of(option): option for option in options}
    if isinstance(default, tuple):
        items = raw.split(LIST_SEPARATOR)
        if len(items) != len(default) or not all(item in by_code for item in items):
            return default
        return tuple(by_code[item] for item in items)
    if isinstance(default, list):
        chosen = [by_code[item] for item in raw.split(LIST_SEPARATOR) if item in by_code]
        return chosen or default
    return by_code.get(raw, default)


def valid(value: Any, options: Sequence[Any], default: Any) -> bool:
    """Whether a remembered value still fits the options (they can change with other filters)."""
    allowed = {code_of(option) for option in options}
    if isinstance(default, list | tuple):
        return isinstance(value, list | tuple) and all(code_of(item) in allowed for item in value)
    return value is not None and code_of(value) in allowed


def _same(value: Any, default: Any) -> bool:
    if isinstance(value, list | tuple) and isinstance(default, list | tuple):
        return [code_of(v) for v in value] == [code_of(d) for d in default]
    return code_of(value) == code_of(default)


def _text(value: Any) -> str:
    if isinstance(value, list | tuple):
        return LIST_SEPARATOR.join(code_of(item) for item in value)
    return code_of(value)


def _seed(key: str, options: Sequence[Any], default: Any, page_scoped: bool = True) -> list[str]:
    """Give the widget its starting value: from the URL on first use on a page, the default if it no longer fits.

    Pages share keys ("year" on Who, Pathways and Forms). A value another page's widget left
    is never taken over: Streamlit would start the new widget at its first option (2016) and
    the page would open on the wrong year. So a page's first run seeds every key anew.
    Returns the codes asked for (by the URL or the last run) that the options no longer have.
    """
    page = st.session_state.get(PAGE_KEY, "")
    seeded = st.session_state.setdefault(SEEDED_KEY, {})
    dropped: list[str] = []
    if key not in st.session_state or (page_scoped and seeded.get(key) != page):
        raw = st.query_params.get(key)
        st.session_state[key] = decode(raw, options, default)
        if raw is not None and raw != _text(st.session_state[key]):
            dropped = raw.split(LIST_SEPARATOR)
    elif not valid(st.session_state[key], options, default):
        old = st.session_state[key]
        if key in st.query_params:  # a choice the person made (a default is left out of the address): say so
            dropped = [code_of(item) for item in (old if isinstance(old, list | tuple) else [old]) if item is not None]
        st.session_state[key] = default
    elif page_scoped and st.session_state.setdefault(LABELLED_KEY, {}).get(key) != lang():
        # The browser holds the choice by its label in the old language; without a value set here it keeps
        # showing that label, and the next run, not finding it among the new labels, drops the choice.
        st.session_state[key] = st.session_state[key]
    seeded[key] = page
    if page_scoped:
        st.session_state.setdefault(LABELLED_KEY, {})[key] = lang()
    allowed = {code_of(option) for option in options}
    return [code for code in dropped if code not in allowed]


def _reset_notice(label: str, dropped: list[str], format_func: Callable[[Any], str] | None) -> None:
    """One line under a filter whose earlier choice cannot carry over to this view."""
    from etl.i18n import t

    def name(code: str) -> str:
        try:
            return str(format_func(code)) if format_func else code
        except (KeyError, ValueError, TypeError):  # a code the options do not know may have no label
            return code

    values = ", ".join(name(code) for code in dropped)
    st.caption(t("common.reset_notice", lang(), label=label, values=values), help=None)


def _write_back(key: str, value: Any, default: Any) -> None:
    text = encode(value, default)
    if text is None:
        if key in st.query_params:
            del st.query_params[key]
    elif st.query_params.get(key) != text:
        st.query_params[key] = text


def url_widget(
    widget: Callable[..., Any],
    label: str,
    key: str,
    options: Sequence[Any],
    default: Any,
    multiple: bool = False,  # kept for callers of the first version; the default's type decides
    page_scoped: bool = True,  # False: one widget for every page (the language)
    **kwargs: Any,
) -> Any:
    """Render `widget` (selectbox, segmented_control, multiselect, select_slider, ...) bound to ?key=."""
    del multiple
    dropped = _seed(key, options, default, page_scoped)
    value = widget(label, options=list(options), key=key, **kwargs)
    if dropped:
        _reset_notice(label, dropped, kwargs.get("format_func"))
    _write_back(key, value, default)
    return value


def url_toggle(widget: Callable[..., Any], label: str, key: str, default: bool = False, **kwargs: Any) -> bool:
    """A toggle or checkbox bound to ?key=1 / ?key=0."""
    _seed(key, [False, True], default)
    value = bool(widget(label, key=key, **kwargs))
    _write_back(key, value, default)
    return value


def language_switch() -> str:
    """The language picker in the sidebar, kept in the URL as ?lang=."""
    value = url_widget(
        st.sidebar.segmented_control,
        "Kieli · Språk · Language",
        key="lang",
        options=LANGUAGES,
        default="fi",
        format_func=LANGUAGE_NAMES.__getitem__,
        required=True,
        page_scoped=False,
    )
    return value if value in LANGUAGES else "fi"


def lang() -> str:
    value = st.session_state.get("lang")
    return value if value in LANGUAGES else "fi"
