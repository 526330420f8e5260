"""dashboard.presenting.specs with a shared cache: what pages call to turn protected frames into charts.

The builders are pure functions of the view's protected frames, its language and
labels; building a chart costs 0.05-0.2 s of pandas and plotly, unpickling a cached
one about 0.01 s. The cache key is the data version's snapshot, the language, the
threshold, the chart and the frames themselves, so it only ever returns what the
same inputs would build again. Inputs are protected network figures only.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import pandas as pd
import streamlit as st

from dashboard.presenting import specs
from dashboard.view import PageContext
from etl.config import get_settings

F = TypeVar("F", bound=Callable[..., Any])


def _context_key(ctx: PageContext) -> tuple[str, int, str, int]:
    return (str(ctx.snapshot.path), ctx.snapshot.version, ctx.lang, ctx.threshold)


def _frame_key(frame: pd.DataFrame) -> tuple[bytes, tuple[str, ...], tuple[str, ...], str]:
    """A frame's values, columns, types and attrs. Streamlit's own key leaves out `attrs`, and they say
    why a frame is empty (gate: `withheld`): two empty frames must not share one answer."""
    values = pd.util.hash_pandas_object(frame, index=True).to_numpy().tobytes()
    return values, tuple(map(str, frame.columns)), tuple(map(str, frame.dtypes)), repr(sorted(frame.attrs.items()))


def _cached(builder: F) -> F:
    keys = {PageContext: _context_key, pd.DataFrame: _frame_key}
    cached = st.cache_data(max_entries=2048, show_spinner=False, hash_funcs=keys)(builder)
    return cached  # type: ignore[return-value]


Chart = specs.Chart
Empty = specs.Empty


def _displayed(frame: pd.DataFrame, lang: str, threshold: int) -> pd.DataFrame:
    del threshold  # part of the cache key: the display text (`<5`) follows the threshold setting
    return specs.displayed(frame, lang)


_displayed_cached = _cached(_displayed)


def displayed(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """specs.displayed, cached per frame, language and threshold."""
    return _displayed_cached(frame, lang, get_settings().disclosure_threshold)


with_shares = _cached(specs.with_shares)
breakdown = _cached(specs.breakdown)
cross = _cached(specs.cross)
over_time = _cached(specs.over_time)
beside_reference = _cached(specs.beside_reference)
