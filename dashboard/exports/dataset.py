"""The whole published, protected dataset of one data version: etl.publish.dataset, for the Download page.

`python -m etl dataset` writes the same files with the same functions.
"""

from __future__ import annotations

import pandas as pd

from etl.config import get_settings
from etl.publish import snapshots
from etl.publish.dataset import CSV_COLUMNS, published_cells, readme, readme_name, to_csv, to_sdmx_csv
from etl.publish.snapshots import SnapshotRef

__all__ = ["CSV_COLUMNS", "protected_cells", "readme", "readme_name", "to_csv", "to_sdmx_csv"]


def protected_cells(ref: SnapshotRef) -> pd.DataFrame:
    """Every offered network cell of the version, at the threshold in force."""
    settings = get_settings()
    return published_cells(ref.path, settings.disclosure_threshold, snapshots.earlier(settings, ref.version))
