"""The published cells of a protected year: values hidden, flags, reasons, tables not offered when empty."""

from __future__ import annotations

import numpy as np
import pandas as pd

from etl.codebook import TOTAL
from etl.disclosure.rules import FLAG_BREAK, FLAG_SECONDARY, FLAG_SMALL, join_flags
from etl.disclosure.tables import KEY, Batch, rows_of

OUTPUT = ["subset", "period", *KEY, "value", "flag", "members", "reason", "offered"]


def output(
    cells: pd.DataFrame,
    nodes: np.ndarray,
    earlier: dict[int, tuple[str, str]],
    hidden_nodes: np.ndarray,
    batch: Batch,
    threshold: int,
) -> pd.DataFrame:
    """The published cells (columns OUTPUT and the exact `persons`) from the nodes protection hid.

    `nodes`: each cell's node (-1: not offered); `earlier`: node -> (flag letter, reason) an
    earlier version hid it with (its reason is kept).
    """
    offered = nodes >= 0
    hidden = np.ones(len(nodes), dtype=bool)
    hidden[offered] = hidden_nodes[nodes[offered]]
    # A primary cell is hidden even if an earlier version showed it (protected then at another
    # threshold): the attacker knows it, but this version's figures follow this version's rules.
    hidden |= cells["reason"].notna().to_numpy()
    small = cells["value"].between(1, threshold - 1).to_numpy() & offered
    reasons = []
    for node, reason, hide in zip(nodes.tolist(), cells["reason"].tolist(), hidden.tolist(), strict=True):
        if isinstance(reason, str) or not hide:
            reasons.append(reason if isinstance(reason, str) else None)
        else:
            reasons.append(earlier.get(node, ("", "secondary"))[1])
    flags = []
    keys = zip(hidden, small, rows_of(cells, ["flag", "measure", "year", "kind"]), strict=True)
    for hide, tiny, (data_flag, measure, year, kind) in keys:
        letters = set(data_flag)
        if hide:
            letters.add(FLAG_SMALL if tiny else FLAG_SECONDARY)
        if (measure, year, kind) in batch.breaks:
            letters.add(FLAG_BREAK)
        flags.append(join_flags(letters))
    out = cells.assign(
        persons=cells["value"],  # exact: for the information loss only, never stored with the cells
        value=cells["value"].where(~hidden).round().astype("Int64"),
        flag=flags,
        reason=reasons,
        period=[str(y) if k == "Y" else f"{y}{k}" for y, k in rows_of(cells, ["year", "kind"])],
    )
    return _not_offered_when_empty(out)[[*OUTPUT, "persons"]].reset_index(drop=True)


def _not_offered_when_empty(cells: pd.DataFrame) -> pd.DataFrame:
    """A breakdown whose every non-zero cell is hidden, one of them as `x`, is not offered (8.8).

    A measure's total stays offered when hidden: its `x` in a series of years says the figure exists.
    """
    inner = (cells["code1"] != TOTAL) & (cells["dim1"] != TOTAL)
    inner &= (cells["code2"] != TOTAL) | (cells["dim2"] == TOTAL)
    rows = cells[inner & cells["offered"]]
    shown = rows["value"].fillna(0) > 0
    secondary_hidden = rows["flag"].str.contains(FLAG_SECONDARY, regex=False)
    table = ["subset", "measure", "year", "kind", "dim1", "dim2"]
    stats = pd.DataFrame({"shown": shown, "x": secondary_hidden}).groupby([rows[c] for c in table]).any()
    empty = stats[~stats["shown"] & stats["x"]].index
    if empty.empty:
        return cells
    hit = pd.MultiIndex.from_frame(cells[table]).isin(empty)
    out = cells.copy()
    out.loc[hit, "offered"] = False
    out.loc[hit, "reason"] = "empty"
    out.loc[hit, "value"] = pd.NA
    out.loc[hit, "flag"] = [join_flags(set(f) - {FLAG_SMALL} | {FLAG_SECONDARY}) for f in out.loc[hit, "flag"]]
    return out
