"""Disclosure control at publish time: the protected tables stored in every snapshot.

`etl.publish.snapshots.build` calls `write_protected` after the SQL models, with the new
snapshot attached as `snap` and the retained earlier snapshots named. Every year is
protected against everything published before it (etl.disclosure.engine) and written:

- published_cell: every cell of every table (value NULL when hidden or not collected),
  its flags and reporting members, whether the table is `offered` at all, and
  `reason`, why a cell is hidden (internal: the gate never passes it on);
- published_level, published_level_member: the like-for-like levels and their members;
- folded_country: countries folded into "other" (they stay folded in later versions);
- published_cluster: a fingerprint of each year's input, so an unchanged year is copied
  from the previous snapshot instead of being protected again;
- protection_loss: cells and persons shown and hidden, by reason (etl.disclosure.loss);
- disclosure_meta: the threshold and engine version the tables were made with (no timing:
  a rebuild gives identical snapshots).
"""

from __future__ import annotations

import hashlib
import logging
import time
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from etl.disclosure import reuse
from etl.disclosure.engine import OUTPUT, Prior, folded_countries, protect
from etl.disclosure.loss import LOSS_COLUMNS, information_loss
from etl.disclosure.subsets import Level, levels
from etl.disclosure.tables import ALL, CITIZENSHIP, HALVES, Batch, MeasureInfo, Subset
from etl.disclosure.workers import protect_years
from etl.sqlfiles import open_snapshot, read_sql

ENGINE_VERSION = "3"  # change when the rules change: every year is then protected again
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
    folded: frozenset[tuple[str, int, str]] = frozenset()
    priors: list[Prior] = field(default_factory=list)
    prior_prints: dict[int, str] = field(default_factory=dict)  # the previous version's fingerprint per year
    prior_loss: pd.DataFrame | None = None  # the previous version's protection_loss
    prints: dict[int, str] = field(default_factory=dict)  # each year's fingerprint (year_prints)
    prints_at: int | None = None  # the threshold `prints` were worked out for

    def batch(self, facts: pd.DataFrame) -> Batch:
        subsets = [Subset(ALL), *(level.subset() for level in self.levels)]
        return Batch(facts, self.measures, subsets, self.folded, self.breaks, _shown(self.priors))


def _query(con: duckdb.DuckDBPyConnection, name: str, **params: object) -> pd.DataFrame:
    """Run etl/sql/disclosure/<name>.sql on `con`'s current database (a cursor would not keep `USE`)."""
    statement = read_sql(SQL_DIR / f"{name}.sql")
    wanted = {key: value for key, value in params.items() if f"${key}" in statement}
    return con.execute(statement, wanted).df()


def read_inputs(con: duckdb.DuckDBPyConnection, years: list[int] | None = None) -> Inputs:
    """The snapshot's member cells (of `years`; None: every year), measures, like-for-like levels and series breaks.

    `con` reads a snapshot: a read-only one, or the one being built (current database).
    """
    facts = _query(con, "member_cells", measure=None, years=years)
    facts["year"] = facts["year"].astype(int)
    facts["derived"] = facts["derived"].astype(bool)
    measures = {
        str(row.code): MeasureInfo(str(row.nature), bool(row.multi_response))
        for row in _query(con, "measures").itertuples(index=False)
    }
    breaks = set()
    for row in _query(con, "breaks").itertuples(index=False):
        targets = list(measures) if row.measure is None or pd.isna(row.measure) else [row.measure]
        kinds = ("Y", HALVES[0]) if row.kind == "Y" else (row.kind,)
        breaks |= {(m, int(row.year), kind) for m in targets for kind in kinds}
    return Inputs(facts, measures, levels(_query(con, "coverage")), frozenset(breaks))


def read_priors(paths: list[Path], inputs: Inputs, threshold: int | None = None) -> Inputs:
    """Add every retained earlier version (oldest first) as an attacker reads it.

    With `threshold`, only the years that changed since the newest version are read from each
    (the engine protects those and reads no other year of a version), and every cell of the
    newest version (the unchanged years are copied from it); without, every year.
    """
    if paths:
        inputs.prior_prints, inputs.prior_loss = _newest_prints(paths[-1])
    years = _changed_years(inputs, threshold) if paths and threshold is not None else None
    for path in paths:
        newest = path == paths[-1]
        try:
            with open_snapshot(path) as con:
                prior = read_inputs(con, years)
                cells = _query(con, "published_cells", years=None if newest else years)
                version = con.execute("SELECT version FROM meta").fetchone()
                folded = con.execute("SELECT measure, year, code FROM folded_country").fetchall()
        except duckdb.CatalogException:
            log.info("snapshot %s has no protected tables: left out of the attack model", path)
            continue
        cells["year"] = cells["year"].astype(int)
        if "offered" not in cells:
            cells["offered"] = ~cells["reason"].isin(["members", "group"])
        subsets = [Subset(ALL), *(level.subset() for level in prior.levels)]
        inputs.priors.append(Prior(int(version[0]) if version else 0, prior.facts, cells, subsets))
        inputs.folded = inputs.folded | frozenset((m, int(y), c) for m, y, c in folded)
    return inputs


def _newest_prints(path: Path) -> tuple[dict[int, str], pd.DataFrame | None]:
    """The newest retained version's year fingerprints and information loss (none: nothing is copied from it)."""
    try:
        with open_snapshot(path) as con:
            loss = _stored_loss(con)
            return (_prints(con) if loss is not None else {}), loss
    except duckdb.CatalogException:
        return {}, None


def _changed_years(inputs: Inputs, threshold: int) -> list[int]:
    """The years whose fingerprint is not the newest version's (all of them if it has none to compare)."""
    return [year for year, print_ in year_prints(inputs, threshold).items() if inputs.prior_prints.get(year) != print_]


def _stored_loss(con: duckdb.DuckDBPyConnection) -> pd.DataFrame | None:
    try:
        return con.execute("SELECT * FROM protection_loss").df()
    except duckdb.CatalogException:
        return None


def _prints(con: duckdb.DuckDBPyConnection) -> dict[int, str]:
    frame = con.execute("SELECT * FROM published_cluster").df()
    if "measure" in frame.columns:  # written by the first engine, per measure: never matches a year's print
        return {}
    return {int(year): str(value) for year, value in zip(frame["year"], frame["fingerprint"], strict=True)}


def _shown(priors: list[Prior]) -> frozenset[tuple[str, int, str]]:
    """(measure, year, country) a retained version showed as a row of its own."""
    shown: set[tuple[str, int, str]] = set()
    for prior in priors:
        cells = prior.cells[prior.cells["offered"]]
        for dim, code in (("dim1", "code1"), ("dim2", "code2")):
            rows = cells[(cells[dim] == CITIZENSHIP) & (cells[code].str.len() == 2)]
            shown |= set(zip(rows["measure"], rows["year"].astype(int), rows[code], strict=True))
    return frozenset(shown)


def year_prints(inputs: Inputs, threshold: int) -> dict[int, str]:
    """Each year's fingerprint, worked out once (hashing the 50x data's facts takes a while)."""
    if inputs.prints_at != threshold:
        inputs.prints = {
            int(year): fingerprint(inputs, facts, int(year), threshold)
            for year, facts in inputs.facts.groupby("year", sort=True)
        }
        inputs.prints_at = threshold
    return inputs.prints


def fingerprint(inputs: Inputs, facts: pd.DataFrame, year: int, threshold: int) -> str:
    """What a year's protection depends on (its facts, groups, breaks, the threshold, the rules)."""
    digest = hashlib.sha256(f"{ENGINE_VERSION}|{threshold}|{year}".encode())
    digest.update(reuse.frame_digest(facts))
    for level in inputs.levels:
        if level.first_year <= year:
            digest.update(f"{level.measure}:{level.name}:{','.join(sorted(level.members))}".encode())
    digest.update(repr(sorted(b for b in inputs.breaks if b[1] == year)).encode())
    digest.update(repr(sorted((m, i.nature, i.multi_response) for m, i in inputs.measures.items())).encode())
    return digest.hexdigest()


def protect_inputs(
    inputs: Inputs, threshold: int, kept: Path | None = None, workers: int = 1
) -> tuple[pd.DataFrame, pd.DataFrame, set, pd.DataFrame]:
    """Protect every year that changed; copy the others from the previous snapshot.

    A changed year protected before against the same versions (an upload's preview, then its
    publication) is read from `kept` (etl.disclosure.reuse) instead of being protected again;
    the other changed years are protected in up to `workers` processes (etl.disclosure.workers).
    Returns (published cells, year fingerprints, folded countries, information loss).
    """
    fresh, copied = [], []
    latest = inputs.priors[-1].cells if inputs.priors else None
    prints = year_prints(inputs, threshold)
    for year, facts in inputs.facts.groupby("year", sort=True):
        if latest is not None and inputs.prior_prints.get(int(year)) == prints[int(year)]:
            copied.append(int(year))
        else:
            fresh.append((int(year), prints[int(year)], facts))
    frames, losses = [], []
    if copied and latest is not None and inputs.prior_loss is not None:
        frames.append(latest[latest["year"].isin(copied)][OUTPUT])
        losses.append(inputs.prior_loss[inputs.prior_loss["year"].isin(copied)])
    folded: set = set(inputs.folded)
    batches = {year: inputs.batch(facts) for year, _, facts in fresh}
    names = {
        year: reuse.key(print_, year, inputs.priors, batches[year].folded, batches[year].shown)
        for year, print_, _ in fresh
    }
    protected = {year: frame for year in batches if (frame := reuse.load(kept, names[year])) is not None}
    for year in protected:
        log.info("%d: protected as before (the same figures against the same versions)", year)
    todo = {year: batch for year, batch in batches.items() if year not in protected}
    for year, frame in protect_years(todo, threshold, inputs.priors, workers).items():
        reuse.store(kept, names[year], frame)
        protected[year] = frame
    for year, batch in batches.items():
        losses.append(information_loss(protected[year]))
        frames.append(protected[year][OUTPUT])
        folded |= folded_countries(batch, threshold)
    cells = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=OUTPUT)
    loss = pd.concat(losses, ignore_index=True) if losses else information_loss(pd.DataFrame())
    clusters = pd.DataFrame(list(prints.items()), columns=["year", "fingerprint"])
    return cells[OUTPUT], clusters, folded, loss.sort_values(LOSS_COLUMNS[:7]).reset_index(drop=True)


def write_protected(
    con: duckdb.DuckDBPyConnection, threshold: int, priors: list[Path], kept: Path | None = None, workers: int = 1
) -> None:
    """Protect the snapshot being built (attached as `snap`) and store the result in it.

    `kept`: the folder of protected years kept for reuse (None: protect every changed year);
    `workers`: processes that protect changed years side by side.
    """
    started = time.perf_counter()
    (database,) = con.execute("SELECT current_database()").fetchone() or ("",)
    con.execute("USE snap")
    try:
        inputs = read_inputs(con)
    finally:
        con.execute(f'USE "{database}"')
    inputs = read_priors(priors, inputs, threshold)
    cells, clusters, folded, loss = protect_inputs(inputs, threshold, kept, workers)
    level_rows = [(lv.measure, lv.name, lv.family, lv.first_year, len(lv.members)) for lv in inputs.levels]
    member_rows = [(lv.measure, lv.name, org) for lv in inputs.levels for org in sorted(lv.members)]
    cells = cells.astype({"value": "Int64", "members": "int64", "year": "int64", "offered": "bool"})
    tables = {
        # Stored table by table: the gate reads one table (all its years), and DuckDB skips the row
        # groups whose min/max rule it out, so one table's cells together make the read short.
        "published_cell": cells.sort_values(STORED_ORDER, kind="stable").reset_index(drop=True),
        "published_level": pd.DataFrame(
            level_rows, columns=["measure", "subset", "family", "first_year", "members"]
        ).astype({"first_year": "int64", "members": "int64"}),
        "published_level_member": pd.DataFrame(member_rows, columns=["measure", "subset", "org_code"]),
        "folded_country": pd.DataFrame(sorted(folded), columns=["measure", "year", "code"]),
        "published_cluster": clusters,
        "protection_loss": loss,
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


def protect_snapshot(path: Path, threshold: int, priors: list[Path]) -> pd.DataFrame:
    """A published snapshot protected anew at another threshold (the setting changed since).

    Against the retained earlier versions as they were published, so the result is what
    publishing this version at the new threshold would have given.
    """
    with open_snapshot(path) as con:
        inputs = read_inputs(con)
        folded = con.execute("SELECT measure, year, code FROM folded_country").fetchall()
    inputs.folded = frozenset((m, int(y), c) for m, y, c in folded)
    inputs = read_priors(priors, inputs)
    return protect(inputs.batch(inputs.facts), threshold, inputs.priors)[OUTPUT]
