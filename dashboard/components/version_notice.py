"""Tell a reader of a permalink which data version they see, and that newer data exists.

Pages call `version_notice(snapshot, lang)` right after `snapshot = data.view_snapshot()`.
"""

from __future__ import annotations

import streamlit as st

from dashboard.reading import data
from etl.i18n import t
from etl.publish.snapshots import SnapshotRef


def notice_text(requested: str | None, shown: SnapshotRef | None, current: SnapshotRef | None, lang: str) -> str | None:
    """The notice for this combination, or None when the reader sees the current version as asked."""
    if shown is None or current is None:
        return None
    if requested and (not requested.isdigit() or int(requested) != shown.version):
        return t("exports.version.not_kept", lang, requested=requested, version=str(shown.version))
    if shown.version < current.version:
        return t(
            "exports.version.newer",
            lang,
            version=str(shown.version),
            published=shown.published_at,
            current=str(current.version),
            current_published=current.published_at,
        )
    return None


def version_notice(snapshot: SnapshotRef | None, lang: str) -> None:
    """An info box when the page shows an older data version (a permalink) or a version that is gone."""
    text = notice_text(st.query_params.get("v"), snapshot, data.current_snapshot(), lang)
    if text:
        st.info(text, icon=":material/history:")
        st.button(t("exports.version.show_latest", lang), on_click=_drop_version, key="version-notice-latest")


def _drop_version() -> None:
    if "v" in st.query_params:
        del st.query_params["v"]
