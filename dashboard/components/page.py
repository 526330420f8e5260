"""The frame every page shares: title, data version, demo banner, and the footer."""

from __future__ import annotations

import streamlit as st

from dashboard import auth
from dashboard.components.version_notice import version_notice
from dashboard.navigation import SIGNED_IN
from dashboard.presenting import theme
from dashboard.reading import data
from dashboard.reading.vocabulary import vocabulary
from dashboard.state import lang
from dashboard.view import PageContext
from etl.config import get_settings
from etl.i18n import t
from etl.publish.snapshots import SnapshotRef
from etl.services.access import Role


def start(title_key: str, intro_key: str | None = None, roles: tuple[Role, ...] = SIGNED_IN) -> PageContext:
    """Who may see the page, its title, then the published version this view shows.

    Stops the page with a reason when the caller's role may not see it or nothing is published.
    """
    auth.require_page(*roles)
    language = lang()
    st.title(t(title_key, language))
    snapshot = data.view_snapshot()
    if snapshot is None:
        st.info(t("common.no_data_yet", language))
        st.stop()
    version_notice(snapshot, language)
    synthetic_banner(snapshot, language)
    if intro_key:
        st.markdown(t(intro_key, language))
    return context(snapshot, language)


def synthetic_banner(snapshot: SnapshotRef | None, language: str) -> None:
    """Every page says so when the figures served are the made-up demo's (the sign-in page too)."""
    if snapshot is None:
        return
    meta = data.public_query(snapshot, "snapshot_meta")
    if not meta.empty and meta.iloc[0]["dataset"] == "synthetic-demo":
        st.warning(t("common.synthetic_banner", language), icon=":material/science:")


def context(snapshot: SnapshotRef, language: str) -> PageContext:
    """What a page knows about its view (also for building a page's charts outside a page: exports, benchmarks)."""
    return PageContext(
        lang=language,
        snapshot=snapshot,
        vocab=vocabulary(snapshot),
        threshold=get_settings().disclosure_threshold,
        period_notes=data.public_query(snapshot, "period_notes"),
    )


def footer(page: PageContext) -> None:
    """Which data version the page shows, and when it was published."""
    st.divider()
    st.caption(
        t(
            "common.data_version",
            page.lang,
            version=str(page.snapshot.version),
            date=theme.format_date(page.snapshot.published_at, page.lang),
        )
    )


def reporting_years(ctx: PageContext, measure: str) -> list[int]:
    """Years in which any member reported a total for the measure (the choices of a year filter)."""
    periods = data.public_query(ctx.snapshot, "reporting_periods", measure=measure)
    years = sorted(periods.loc[periods["kind"] == "Y", "year"].astype(int).unique().tolist())
    return years or sorted(periods["year"].astype(int).unique().tolist())


def same_reporters(ctx: PageContext, measure: str, other: str) -> set[str]:
    """Periods in which exactly the same members reported totals of both measures (so one may divide the other)."""
    one = data.public_query(ctx.snapshot, "org_coverage", measure=measure)
    two = data.public_query(ctx.snapshot, "org_coverage", measure=other)
    by_period_one = one.groupby("period")["org_code"].apply(frozenset)
    by_period_two = two.groupby("period")["org_code"].apply(frozenset)
    return {p for p, orgs in by_period_one.items() if by_period_two.get(p) == orgs}


def state(name: str) -> dict[str, str]:
    """The URL state that reproduces the view now on screen: page, filters, and the data version."""
    shown = data.view_snapshot()
    return {"page": name, **st.query_params.to_dict(), "v": str(shown.version) if shown else ""}
