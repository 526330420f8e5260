"""Show a chart the same way everywhere: title, subtitle, figure, summary, notes, table, export menu."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import streamlit as st

from dashboard.components.downloads import download_menu
from dashboard.presenting.figure_spec import FigureSpec
from dashboard.presenting.specs import Empty
from etl.i18n import catalogue, t

# No camera button: its PNG has no source, version or licence and leaves no audit row; "Download and cite" does both.
PLOTLY_CONFIG = {"displaylogo": False, "modeBarButtonsToRemove": ["select2d", "lasso2d", "autoScale2d", "toImage"]}
PLOTLY_WORDS = "plotly."  # the toolbar's words by their English text, in each language's dashboard.toml


def plotly_config(lang: str) -> dict[str, Any]:
    """PLOTLY_CONFIG with the chart toolbar's tooltips in the reader's language (plotly.js `locales`)."""
    words = {
        key.removeprefix(PLOTLY_WORDS): text for key, text in catalogue(lang).items() if key.startswith(PLOTLY_WORDS)
    }
    return {**PLOTLY_CONFIG, "locale": lang, "locales": {lang: {"dictionary": words}}}


_collectors: list[list[FigureSpec]] = []


@contextmanager
def collecting() -> Iterator[list[FigureSpec]]:
    """Every FigureSpec the pages show while inside, in order (the command-line export finds its figure so)."""
    shown: list[FigureSpec] = []
    _collectors.append(shown)
    try:
        yield shown
    finally:
        _collectors.remove(shown)


def _heading(title: str, subtitle: str) -> None:
    st.subheader(title, anchor=False)
    if subtitle:
        st.caption(subtitle)


def render_chart(spec: FigureSpec) -> None:
    """Render one FigureSpec: the chart, a text summary, its notes, the table and the export menu."""
    with st.container(key=f"figure-{spec.figure_id.replace('.', '-')}"):
        _heading(spec.title, spec.subtitle)
        st.plotly_chart(spec.figure, width="stretch", key=f"chart-{spec.figure_id}", config=plotly_config(spec.lang))
        st.markdown(spec.summary)
        if spec.notes:
            st.caption("  \n".join(spec.notes))
        with st.expander(t("common.show_table", spec.lang)):
            st.dataframe(spec.table, hide_index=True, width="stretch")
        download_menu(spec)
    for shown in _collectors:
        shown.append(spec)


def render_empty(title: str, subtitle: str, reason: str) -> None:
    """In place of a chart with nothing to draw: the title and why there is nothing (never an empty axis)."""
    _heading(title, subtitle)
    st.info(reason, icon=":material/visibility_off:")


def show(result: FigureSpec | Empty) -> None:
    """A chart, or the reason in its place."""
    if isinstance(result, Empty):
        render_empty(result.title, result.subtitle, result.reason)
    else:
        render_chart(result)
