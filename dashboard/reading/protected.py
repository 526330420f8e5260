"""The gate's protected tables, cached per published version: what pages call for figures.

`network`, `like_for_like_members` and `shares` come from dashboard.reading.gate unchanged;
the cache only keeps the gate's answers for a (data version, view, threshold) so
that every visitor's rerun does not redo the protection. Only member/public
(network) figures are cached here: restricted figures of one organisation are
never put in this shared cache (call gate.restricted directly, per session).
The key holds the snapshot's path, so a newly published version never reuses an
old answer; a retained old version (a permalink) keeps its own entries.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.reading import gate
from etl.config import get_settings
from etl.publish.snapshots import SnapshotRef

View = gate.View
shares = gate.shares
display = gate.display


@st.cache_data(max_entries=4096, show_spinner=False)
def _network(ref: SnapshotRef, view: gate.View, threshold: int, margins: bool) -> pd.DataFrame:
    del threshold  # part of the key: the gate reads it from the settings
    return gate.network(ref, view, margins=margins)


@st.cache_data(max_entries=1024, show_spinner=False)
def _like_for_like_members(ref: SnapshotRef, view: gate.View) -> list[str]:
    return gate.like_for_like_members(ref, view)


def network(ref: SnapshotRef, view: gate.View, margins: bool = False) -> pd.DataFrame:
    """gate.network, cached (a copy: callers may add columns)."""
    return _network(ref, view, get_settings().disclosure_threshold, margins)


def like_for_like_members(ref: SnapshotRef, view: gate.View) -> list[str]:
    return _like_for_like_members(ref, view)


@st.cache_data(max_entries=1024, show_spinner=False)
def like_for_like_starts(ref: SnapshotRef, view: gate.View) -> list[int]:
    """gate.like_for_like_starts, cached."""
    return gate.like_for_like_starts(ref, view)


def offered_breakdowns(ref: SnapshotRef, measure: str) -> set[tuple[str, str]]:
    """The (dim1, dim2) of the measure that the network offers in some period (pickers list only these)."""
    tables = gate.offered(ref)
    rows = tables[(tables["measure"] == measure) & (tables["subset"] == gate.ALL)]
    return set(zip(rows["dim1"], rows["dim2"], strict=True))


def offers_half_years(ref: SnapshotRef, measure: str, dim1: str, dim2: str) -> bool:
    """Does the network offer the table by half-year in some year?"""
    tables = gate.offered(ref)
    rows = tables[(tables["measure"] == measure) & (tables["subset"] == gate.ALL)]
    return bool(((rows["dim1"] == dim1) & (rows["dim2"] == dim2) & (rows["kind"] != "Y")).any())
