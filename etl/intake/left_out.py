"""A warning for a file that leaves out tables its organisation sent before for the same period.

A file replaces everything its organisation reported for each period in it (a new version of
the submission): a table of the newest live version that the file does not have is no longer
counted once the file is loaded. Most often that is a correction sent as only the corrected
table. Dropping them costs more than the member's own figures: a network table whose members
change between versions may be withheld for that year (docs/disclosure.md), so the warning
names each table left out.
"""

from __future__ import annotations

import pandas as pd

from etl.codebook import TOTAL
from etl.intake.problems import WARNING, Problem
from etl.intake.shapes import Cells, Collector, Context

TABLE = ["org_code", "period", "measure", "dim1", "dim2"]
CODES = ("measure_left_out", "breakdown_left_out")


def check(cells: Cells, context: Context, found: Collector) -> None:
    pairs = sorted({(org, period) for org, period, _ in cells.group_keys})
    if context.tables is None or not pairs:
        return
    earlier = _tables(context.tables(pairs))
    if earlier.empty:
        return
    sent = _tables(cells.frame)
    missing = earlier.merge(sent, on=TABLE, how="left", indicator=True)
    missing = missing[missing["_merge"] == "left_only"]
    measures_sent = set(zip(sent["org_code"], sent["period"], sent["measure"], strict=True))
    for (org, period, measure), tables in missing.groupby(["org_code", "period", "measure"], sort=True):
        if (org, period, measure) not in measures_sent:
            found.add(Problem("measure_left_out", WARNING, params=_where(org, period, measure)))
            continue
        for row in tables.itertuples(index=False):
            if row.dim1 != TOTAL:  # a total left out while its breakdowns are sent is an error already
                where = {**_where(org, period, measure), "dimension": _breakdown(row.dim1, row.dim2)}
                found.add(Problem("breakdown_left_out", WARNING, params=where))


def _tables(frame: pd.DataFrame) -> pd.DataFrame:
    """Each (organisation, period, measure, breakdown) that has a cell, sorted."""
    # distinct first: a million-row file's columns are categories, and text for each row costs a second
    known = frame[TABLE].drop_duplicates().dropna().astype(str)
    return known.drop_duplicates().sort_values(TABLE).reset_index(drop=True)


def _where(org: str, period: str, measure: str) -> dict[str, str]:
    return {"org": org, "period": period, "measure": measure}


def _breakdown(dim1: str, dim2: str) -> str:
    """The breakdown as dimension codes ("sex × age_group"); the message names them in the reader's language."""
    return dim1 if dim2 == TOTAL else f"{dim1} × {dim2}"


def outside(problem: Problem, org: str, period: str | None) -> bool:
    """A warning of this kind about another organisation or period than an upload's (refused for that already)."""
    if problem.code not in CODES:
        return False
    return problem.params["org"] != org or (period is not None and problem.params["period"] != period)
