"""View state that lives in the URL, so a copied link reopens the same view.

Widgets are seeded from the query string on a session's first run and write
their value back on every run. Values are codes, never translated labels, so a
link copied in Finnish opens the same view in Swedish.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import streamlit as st

from etl.config import LANGUAGES

LANGUAGE_NAMES = {"fi": "Suomi", "sv": "Svenska", "en": "English"}
LIST_SEPARATOR = ","


def _from_url(key: str, options: Sequence[str], default: Any, multiple: bool) -> Any:
    raw = st.query_params.get(key)
    if raw is None:
        return default
    if multiple:
        chosen = [item for item in raw.split(LIST_SEPARATOR) if item in options]
        return chosen or default
    return raw if raw in options else default


def _to_url(key: str, value: Any, default: Any) -> None:
    if value == default or value is None:
        if key in st.query_params:
            del st.query_params[key]
        return
    text = LIST_SEPARATOR.join(value) if isinstance(value, list) else str(value)
    if st.query_params.get(key) != text:
        st.query_params[key] = text


def url_widget(
    widget: Callable[..., Any],
    label: str,
    key: str,
    options: Sequence[str],
    default: Any,
    multiple: bool = False,
    **kwargs: Any,
) -> Any:
    """Render `widget` (selectbox, segmented_control, multiselect, ...) bound to ?key=."""
    if key not in st.session_state:
        st.session_state[key] = _from_url(key, options, default, multiple)
    value = widget(label, options=list(options), key=key, **kwargs)
    _to_url(key, value, default)
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
    )
    return value if value in LANGUAGES else "fi"


def lang() -> str:
    value = st.session_state.get("lang")
    return value if value in LANGUAGES else "fi"
