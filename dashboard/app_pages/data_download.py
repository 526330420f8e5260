"""Whole-dataset download: every published, protected cell of a data version, as CSV and SDMX-CSV."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from dashboard import auth
from dashboard.components.audited import audited
from dashboard.components.version_notice import version_notice
from dashboard.exports import dataset
from dashboard.presenting import theme
from dashboard.reading import data
from dashboard.state import lang
from etl.config import get_settings
from etl.i18n import t
from etl.publish.snapshots import SnapshotRef, list_versions
from etl.services.access import SIGNED_IN

language = lang()
auth.require_page(*SIGNED_IN)
st.title(t("exports.dataset_page.title", language))
st.write(t("exports.dataset_page.intro", language))

snapshot = data.view_snapshot()
if snapshot is None:
    st.info(t("common.no_data_yet", language))
    st.stop()
version_notice(snapshot, language)
version = snapshot.version


@st.cache_data(max_entries=8, show_spinner=False)
def _cells(path: str, version: int, published: str, threshold: int) -> pd.DataFrame:
    """Protected public cells only (the gate's output), so sharing them across sessions is safe.

    `threshold` is part of the cache key: the same snapshot under another disclosure setting is another table.
    """
    from datetime import datetime
    from pathlib import Path

    return dataset.protected_cells(SnapshotRef(version, Path(path), datetime.fromisoformat(published)))


versions = list_versions(get_settings())
st.caption(
    t(
        "exports.dataset_page.version",
        language,
        version=str(snapshot.version),
        date=theme.format_date(snapshot.published_at, language),
        kept=", ".join(str(v) for v in versions),
    )
)
with st.spinner(t("exports.dataset_page.building", language)):
    cells = _cells(
        str(snapshot.path), snapshot.version, snapshot.published_at.isoformat(), get_settings().disclosure_threshold
    )

hidden = int(cells["flag"].str.contains("c|d", regex=True).sum()) if not cells.empty else 0
st.metric(t("exports.dataset_page.cells", language), theme.format_int(len(cells), language))
st.caption(t("exports.dataset_page.hidden", language, count=hidden, threshold=str(get_settings().disclosure_threshold)))
left, middle, right = st.columns(3)
csv_name = f"tilannekuva-v{snapshot.version}-{language}.csv"
sdmx_name = f"tilannekuva-v{snapshot.version}-sdmx.csv"
left.download_button(
    t("exports.dataset_page.csv", language),
    data=audited(
        lambda: dataset.to_csv(cells, version, language), kind="dataset_csv", file_name=csv_name, version=version
    ),
    file_name=csv_name,
    mime="text/csv",
    on_click="ignore",
    icon=":material/table:",
    key="dataset-csv",
)
middle.download_button(
    t("exports.dataset_page.sdmx", language),
    data=audited(lambda: dataset.to_sdmx_csv(cells), kind="dataset_sdmx", file_name=sdmx_name, version=version),
    file_name=sdmx_name,
    mime="text/csv",
    on_click="ignore",
    icon=":material/dataset:",
    key="dataset-sdmx",
)
readme_name = dataset.readme_name(snapshot.version, language)
published = snapshot.published_at
synthetic = data.public_query(snapshot, "snapshot_meta").iloc[0]["dataset"] == "synthetic-demo"
right.download_button(  # source, licence, version, notation and protection beside the data (any reader's first file)
    t("exports.dataset_page.readme", language),
    data=audited(
        lambda: dataset.readme(
            version,
            published,
            date.today(),
            language,
            get_settings().disclosure_threshold,
            get_settings().licence,
            bool(synthetic),
        ).encode("utf-8"),
        kind="dataset_readme",
        file_name=readme_name,
        version=version,
    ),
    file_name=readme_name,
    mime="text/plain",
    on_click="ignore",
    icon=":material/description:",
    key="dataset-readme",
)
with st.expander(t("exports.dataset_page.columns_title", language)):
    st.markdown(t("exports.dataset_page.columns", language))
