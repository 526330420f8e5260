"""Filters that live in the URL (codes, not labels), with defaults that show something useful."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import streamlit as st

from dashboard.state import url_toggle, url_widget
from etl.i18n import t


def year(label: str, years: Sequence[int], key: str = "year") -> int:
    """One year, the latest by default."""
    return int(url_widget(st.selectbox, label, key=key, options=list(years), default=years[-1]))


def year_range(label: str, years: Sequence[int], key: str = "years") -> tuple[int, int]:
    """A span of years, every year by default; with one year there is nothing to choose."""
    if len(years) < 2:
        return years[0], years[0]
    every = (years[0], years[-1])
    # value= makes it a range slider (Streamlit decides that from the parameter, not from the session state).
    first, last = url_widget(st.select_slider, label, key=key, options=list(years), default=every, value=every)
    return int(first), int(last)


def choice(
    label: str,
    options: Sequence[Any],
    key: str,
    default: Any,
    format_func: Callable[[Any], str] = str,
    widget: Callable[..., Any] = st.selectbox,
    **kwargs: Any,
) -> Any:
    """One of a few options (codes) bound to ?key=."""
    if widget is st.segmented_control:
        kwargs.setdefault("required", True)
    return url_widget(widget, label, key=key, options=list(options), default=default, format_func=format_func, **kwargs)


def several(
    label: str, options: Sequence[str], key: str, default: list[str], format_func: Callable[[Any], str] = str
) -> list[str]:
    """Several codes (e.g. the series shown), bound to ?key=a,b,c."""
    chosen = url_widget(
        st.multiselect, label, key=key, options=list(options), default=list(default), format_func=format_func
    )
    return list(chosen) or list(default)


def switch(label: str, key: str, default: bool = False, help_key: str | None = None, lang: str = "fi") -> bool:
    return url_toggle(st.toggle, label, key=key, default=default, help=t(help_key, lang) if help_key else None)
