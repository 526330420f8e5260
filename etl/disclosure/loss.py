"""What protection costs (DATA-CONTRACT 8.8): cells and persons shown and hidden, by reason.

Stored with each snapshot (table `protection_loss`, one row per year, table, kind of
period, member group and reason) and summed by `python -m etl protection`. A table's
cells are its inner cells: a breakdown's margins repeat a total that is counted once. Persons
are sums of exact counts, hidden ones included: staff only. Pages show only the
shares of cells and persons shown.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from etl.codebook import TOTAL
from etl.disclosure.tables import ALL

LOSS_COLUMNS = ["year", "measure", "dim1", "dim2", "period", "group", "reason", "cells", "persons"]
SHOWN, NOT_COLLECTED = "shown", "not collected"
SMALL = "small"
WITHHELD = ("members", "group", "unsafe", "empty", "fold_row")  # not offered at all


def information_loss(cells: pd.DataFrame) -> pd.DataFrame:
    """One row per year, table, kind of period, member group and reason (`cells` carries `persons`)."""
    # A breakdown's margins repeat its total (a table of their own): counted there, not again here.
    inner = ((cells["dim1"] == TOTAL) | (cells["code1"] != TOTAL)) & (
        (cells["dim2"] == TOTAL) | (cells["code2"] != TOTAL)
    )
    cells = cells[inner]
    if cells.empty:
        return pd.DataFrame(columns=LOSS_COLUMNS)
    persons = pd.to_numeric(cells["persons"], errors="coerce")
    reason = cells["reason"].astype("object").where(cells["reason"].notna(), SHOWN)
    reason = reason.where(persons.notna(), NOT_COLLECTED)
    frame = pd.DataFrame(
        {
            "year": cells["year"].astype("int64"),
            "measure": cells["measure"],
            "dim1": cells["dim1"],
            "dim2": cells["dim2"],
            "period": np.where(cells["kind"] == "Y", "year", "half"),
            "group": np.where(cells["subset"] == ALL, "network", "like-for-like"),
            "reason": reason,
            "persons": persons.fillna(0.0),
        }
    )
    keys = LOSS_COLUMNS[:7]
    out = frame.groupby(keys, sort=True).agg(cells=("persons", "size"), persons=("persons", "sum")).reset_index()
    return out.astype({"cells": "int64", "persons": "int64"})[LOSS_COLUMNS]


def summary(loss: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """Cells and persons shown and hidden per `by`, with the shares shown (withheld tables apart)."""
    counted = loss[loss["reason"] != NOT_COLLECTED]
    offered = counted[~counted["reason"].isin(WITHHELD)]
    shown = offered["reason"] == SHOWN
    small = offered["reason"] == SMALL
    parts = {
        "cells": offered.groupby(by)["cells"].sum(),
        "cells_shown": offered[shown].groupby(by)["cells"].sum(),
        "cells_small": offered[small].groupby(by)["cells"].sum(),
        "persons": offered.groupby(by)["persons"].sum(),
        "persons_shown": offered[shown].groupby(by)["persons"].sum(),
        "persons_small": offered[small].groupby(by)["persons"].sum(),
        "withheld_cells": counted[counted["reason"].isin(WITHHELD)].groupby(by)["cells"].sum(),
    }
    out = pd.DataFrame(parts).fillna(0).astype("int64")
    out["share_cells"] = _share(out["cells_shown"], out["cells"] - out["cells_small"])
    out["share_persons"] = _share(out["persons_shown"], out["persons"] - out["persons_small"])
    return out.reset_index()


def by_reason(loss: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """Cells and persons per `by` and reason (shown, each reason for hiding, each for withholding)."""
    counted = loss[loss["reason"] != NOT_COLLECTED]
    return counted.groupby([*by, "reason"], sort=True)[["cells", "persons"]].sum().reset_index()


def _share(part: pd.Series, whole: pd.Series) -> pd.Series:
    """Shown over what could have been shown (`<t` cells are not counted: nothing could show them)."""
    return (part / whole.where(whole > 0)).round(4)
