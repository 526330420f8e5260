"""Disclosure control at publish time: the protected tables stored in every snapshot.

`etl.snapshots.build` calls `write_protected` after the SQL models, with the new
snapshot attached as `snap`. It protects every cluster (measure x year) jointly
- all breakdowns, margins, year and halves, like-for-like levels - and writes:

- published_cell: every cell the dashboard may show (value NULL when hidden or not
  collected), with its flags and reporting members; `reason` says why a cell is
  hidden (internal: the gate never passes it on);
- published_level, published_level_member: the like-for-like levels and their members;
- carried_hidden: the cells hidden in the previous version, which stay hidden;
- folded_country: countries folded into "other" (they stay folded in later versions);
- published_cluster: a fingerprint of each cluster's input, so an unchanged
  cluster is copied from the previous snapshot instead of being protected again;
- disclosure_meta: the threshold and engine version the tables were made with (no timing: a
  rebuild gives identical snapshots).

The dashboard gate reads published_cell; when the threshold setting has changed
since, it protects the snapshot's facts again with the same code (`protect_snapshot`).
"""

from __future__ import annotations

import hashlib
import logging
import time
from dataclasses import dataclass, field, replace
from pathlib import Path

import duckdb
import pandas as pd

from etl.codebook import TOTAL
from etl.disclosure.engine import OUTPUT, WITHHOLDING, folded_countries, protect
from etl.disclosure.rules import FLAG_SECONDARY, FLAG_SMALL, join_flags
from etl.disclosure.subsets import Level, levels
from etl.disclosure.tables import ALL, CELL, HALVES, Batch, MeasureInfo, Subset
from etl.sqlfiles import read_sql

ENGINE_VERSION = "1"  # change when the rules change: every cluster is then protected again
SQL_DIR = Path(__file__).resolve().parent.parent / "sql" / "disclosure"
STORED_ORDER = ["measure", "subset", "dim1", "dim2", "year", "kind", "code1", "code2"]
log = logging.getLogger(__name__)


@dataclass
class Inputs:
    """Everything the protection of one snapshot needs."""

    facts: pd.DataFrame
    measures: dict[str, MeasureInfo]
    levels: list[Level]
    breaks: frozenset[tuple[str, int, str]]
    carried: frozenset[tuple] = frozenset()
    folded: frozenset[tuple[str, int, str]] = frozenset()
    prior_cells: pd.DataFrame | None = None
    prior_prints: dict[tuple[str, int], str] = field(default_factory=dict)

    def batch(self, facts: pd.DataFrame) -> Batch:
        subsets = [Subset(ALL), *(level.subset() for level in self.levels)]
        return Batch(facts, self.measures, subsets, self.carried, self.folded, self.breaks)


def _query(con: duckdb.DuckDBPyConnection, name: str, **params: object) -> pd.DataFrame:
    """Run etl/sql/disclosure/<name>.sql on `con`'s current database (a cursor would not keep `USE`)."""
    statement = read_sql(SQL_DIR / f"{name}.sql")
    wanted = {key: value for key, value in params.items() if f"${key}" in statement}
    return con.execute(statement, wanted).df()


def read_inputs(con: duckdb.DuckDBPyConnection, measure: str | None = None) -> Inputs:
    """The snapshot's member cells, measures, like-for-like levels and series breaks.

    `con` reads a snapshot: a read-only one, or the one being built (current database).
    """
    facts = _query(con, "member_cells", measure=measure)
    facts["year"] = facts["year"].astype(int)
    facts["derived"] = facts["derived"].astype(bool)
    measures = {
        str(row.code): MeasureInfo(str(row.nature), bool(row.multi_response))
        for row in _query(con, "measures").itertuples(index=False)
    }
    coverage = _query(con, "coverage")
    if measure is not None:
        coverage = coverage[coverage["measure"] == measure]
    breaks = set()
    for row in _query(con, "breaks").itertuples(index=False):
        targets = list(measures) if row.measure is None or pd.isna(row.measure) else [row.measure]
        kinds = ("Y", HALVES[0]) if row.kind == "Y" else (row.kind,)
        breaks |= {(m, int(row.year), kind) for m in targets for kind in kinds}
    return Inputs(facts, measures, levels(coverage), frozenset(breaks))


def fingerprint(inputs: Inputs, facts: pd.DataFrame, measure: str, year: int, threshold: int) -> str:
    """What a cluster's protection depends on (its facts, groups, breaks, the threshold, the rules)."""
    digest = hashlib.sha256(f"{ENGINE_VERSION}|{threshold}|{measure}|{year}".encode())
    digest.update(pd.util.hash_pandas_object(facts.reset_index(drop=True), index=False).to_numpy().tobytes())
    for level in inputs.levels:
        if level.measure == measure and level.first_year <= year:
            digest.update(f"{level.name}:{','.join(sorted(level.members))}".encode())
    digest.update(repr(sorted(b for b in inputs.breaks if b[:2] == (measure, year))).encode())
    info = inputs.measures[measure]
    digest.update(f"{info.nature}|{info.multi_response}".encode())
    return digest.hexdigest()


def protect_inputs(inputs: Inputs, threshold: int) -> tuple[pd.DataFrame, pd.DataFrame, set]:
    """Protect every cluster that changed; copy the others from the previous snapshot.

    Returns (published cells, cluster fingerprints, folded countries).
    """
    prints, fresh, copied = [], [], []
    for (measure, year), facts in inputs.facts.groupby(["measure", "year"], sort=True):
        key = (str(measure), int(year))
        print_ = fingerprint(inputs, facts, *key, threshold)
        prints.append((*key, print_))
        prior = inputs.prior_cells
        if prior is not None and inputs.prior_prints.get(key) == print_:
            copied.append(prior[(prior["measure"] == key[0]) & (prior["year"] == key[1])])
        else:
            fresh.append(facts)
    frames = [frame for frame in copied if not frame.empty]
    folded: set = set(inputs.folded)
    if fresh:
        batch = inputs.batch(pd.concat(fresh, ignore_index=True))
        frames.append(_network_first(batch, protect(batch, threshold), threshold))
        folded |= folded_countries(batch, threshold)
    cells = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=OUTPUT)
    clusters = pd.DataFrame(prints, columns=["measure", "year", "fingerprint"])
    return cells[OUTPUT], clusters, folded


def _network_first(batch: Batch, joint: pd.DataFrame, threshold: int) -> pd.DataFrame:
    """Withhold the like-for-like groups of a cluster where publishing them would hide a network total.

    Groups protected jointly with the network can force the network's own totals out
    (seen: the latest year's national total of new clients, then carried hidden). The issue allows "do not offer the
    subset": for such a cluster (measure x year) the network's tables are protected
    alone and the groups' cells of that year are stored withheld (`_withheld`).
    """
    if len(batch.subsets) == 1:
        return joint
    # Only a total hidden as secondary can be the groups' doing: the primary rules read the network alone.
    totals = (joint["subset"] == ALL) & (joint["dim1"] == TOTAL) & (joint["dim2"] == TOTAL)
    suspects = joint[totals & joint["value"].isna() & (joint["reason"] == "secondary")]
    clusters = set(zip(suspects["measure"], suspects["year"], strict=True))
    if not clusters:
        return joint
    alone = protect(replace(batch, facts=batch.facts[_in(batch.facts, clusters)], subsets=[Subset(ALL)]), threshold)
    keys = [column for column in CELL if column != "subset"]
    both = joint[joint["subset"] == ALL].merge(alone, on=["subset", *keys], suffixes=("", "_alone"))
    on_total = (both["dim1"] == TOTAL) & (both["dim2"] == TOTAL)
    lost = both[on_total & both["value"].isna() & both["value_alone"].notna()]
    worse = set(zip(lost["measure"], lost["year"], strict=True))
    if not worse:
        return joint
    log.info("like-for-like groups withheld for %d clusters to keep network figures: %s", len(worse), sorted(worse))
    groups = joint[_in(joint, worse) & (joint["subset"] != ALL)]
    return pd.concat([joint[~_in(joint, worse)], alone[_in(alone, worse)], _withheld(groups)], ignore_index=True)


def _withheld(cells: pd.DataFrame) -> pd.DataFrame:
    """Cells of a table not offered: hidden (`d`), so a chart shows the year as a gap with the legend.

    The reason `group` marks them withheld: never carried, never attacked, as for a group
    that differs from its neighbour by 1 or 2 members.
    """
    flags = [join_flags((set(flag) - {FLAG_SMALL}) | {FLAG_SECONDARY}) for flag in cells["flag"]]
    return cells.assign(value=pd.NA, flag=flags, reason="group").astype({"value": "Int64"})


def _in(frame: pd.DataFrame, clusters: set[tuple[str, int]]) -> pd.Series:
    """Rows of `frame` in one of `clusters` (measure, year)."""
    pairs = pd.Series(list(zip(frame["measure"], frame["year"], strict=True)), index=frame.index, dtype=object)
    return pairs.isin(clusters)


def read_prior(path: Path | None, inputs: Inputs) -> Inputs:
    """Add what the previous snapshot hid, folded and protected (nothing when it has no such tables)."""
    if path is None or not path.is_file():
        return inputs
    from etl.snapshots import open_snapshot

    try:
        with open_snapshot(path) as con:
            cells = con.execute("SELECT * FROM published_cell").df()
            folded = con.execute("SELECT measure, year, code FROM folded_country").fetchall()
            prints = con.execute("SELECT measure, year, fingerprint FROM published_cluster").fetchall()
            before = con.execute("SELECT * FROM carried_hidden").fetchall()
    except duckdb.CatalogException:
        log.info("snapshot %s has no protected tables: nothing carried forward", path)
        return inputs
    cells["year"] = cells["year"].astype(int)
    hidden = cells[cells["value"].isna() & cells["flag"].str.contains("[cd]") & ~cells["reason"].isin(WITHHOLDING)]
    # What that snapshot carried in stays carried: a table left out of one version (a like-for-like
    # group withheld for a year) must not forget what an earlier version hid in it.
    earlier = {(s, m, int(y), k, d1, c1, d2, c2) for s, m, y, k, d1, c1, d2, c2 in before}
    inputs.carried = frozenset(tuple(row) for row in hidden[CELL].itertuples(index=False)) | earlier
    inputs.folded = frozenset((m, int(y), c) for m, y, c in folded)
    inputs.prior_cells = cells
    inputs.prior_prints = {(m, int(y)): p for m, y, p in prints}
    return inputs


def write_protected(con: duckdb.DuckDBPyConnection, threshold: int, prior: Path | None) -> None:
    """Protect the snapshot being built (attached as `snap`) and store the result in it."""
    started = time.perf_counter()
    (database,) = con.execute("SELECT current_database()").fetchone() or ("",)
    con.execute("USE snap")
    try:
        inputs = read_prior(prior, read_inputs(con))
    finally:
        con.execute(f'USE "{database}"')
    cells, clusters, folded = protect_inputs(inputs, threshold)
    level_rows = [(lv.measure, lv.name, lv.family, lv.first_year, len(lv.members)) for lv in inputs.levels]
    member_rows = [(lv.measure, lv.name, org) for lv in inputs.levels for org in sorted(lv.members)]
    tables = {
        # Stored table by table: the gate reads one table (all its years), and DuckDB skips the row
        # groups whose min/max rule it out, so one table's cells together make the read short.
        "published_cell": cells.astype({"value": "Int64", "members": "int64", "year": "int64"})
        .sort_values(STORED_ORDER, kind="stable")
        .reset_index(drop=True),
        "published_level": pd.DataFrame(
            level_rows, columns=["measure", "subset", "family", "first_year", "members"]
        ).astype({"first_year": "int64", "members": "int64"}),
        "published_level_member": pd.DataFrame(member_rows, columns=["measure", "subset", "org_code"]),
        "carried_hidden": pd.DataFrame(sorted(inputs.carried), columns=CELL),
        "folded_country": pd.DataFrame(sorted(folded), columns=["measure", "year", "code"]),
        "published_cluster": clusters,
        "disclosure_meta": pd.DataFrame([(threshold, ENGINE_VERSION)], columns=["threshold", "engine"]),
    }
    # The time taken goes to the log, not into the snapshot: a rebuild must give identical snapshots.
    log.info("protected %d cells in %.2f s", len(cells), time.perf_counter() - started)
    for name, frame in tables.items():
        con.register("_disclosure_frame", frame)
        try:
            con.execute(f"CREATE TABLE snap.{name} AS SELECT * FROM _disclosure_frame")
        finally:
            con.unregister("_disclosure_frame")


def protect_snapshot(con: duckdb.DuckDBPyConnection, threshold: int, measure: str) -> pd.DataFrame:
    """One measure of a published snapshot protected anew (the threshold setting changed since).

    Uses what the snapshot itself carried and folded, so the result is what publishing
    at this threshold would have given.
    """
    inputs = read_inputs(con, measure)
    carried = con.execute("SELECT * FROM carried_hidden WHERE measure = ?", [measure]).fetchall()
    folded = con.execute("SELECT measure, year, code FROM folded_country WHERE measure = ?", [measure]).fetchall()
    inputs.carried = frozenset((s, m, int(y), k, d1, c1, d2, c2) for s, m, y, k, d1, c1, d2, c2 in carried)
    inputs.folded = frozenset((m, int(y), c) for m, y, c in folded)
    return protect(inputs.batch(inputs.facts), threshold)
