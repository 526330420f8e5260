"""Submission versions in the warehouse: the live cells of a pair, which pairs changed, new draft versions."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from etl.intake.validate import CANONICAL
from etl.sqlfiles import read_sql

SQL_DIR = Path(__file__).parent.parent / "sql" / "load"


def _sql(name: str) -> str:
    return read_sql(SQL_DIR / f"{name}.sql")


def live_cells(con: duckdb.DuckDBPyConnection, pairs: list[tuple[str, str]] | Any) -> pd.DataFrame:
    """The newest live version's cells of each (organisation, period) asked for."""
    with _wanted(con, pairs):
        return con.execute(_sql("live_cells")).df()


def live_tables(con: duckdb.DuckDBPyConnection, pairs: list[tuple[str, str]] | Any) -> pd.DataFrame:
    """The tables (organisation, period, measure, dim1, dim2) of the newest live version of each pair asked for.

    The cells' query made distinct in DuckDB: a big period's cells never travel to pandas for this."""
    cells = _sql("live_cells").strip().rstrip(";")
    with _wanted(con, pairs):
        return con.execute(f"SELECT DISTINCT org_code, period, measure, dim1, dim2 FROM ({cells})").df()


@contextmanager
def _wanted(con: duckdb.DuckDBPyConnection, pairs: list[tuple[str, str]] | Any) -> Iterator[None]:
    """`pairs` registered as the table `wanted_pairs` the queries join, for the length of the block."""
    con.register("wanted_pairs", pd.DataFrame(list(pairs), columns=["org_code", "period"], dtype=object))
    try:
        yield
    finally:
        con.unregister("wanted_pairs")


def file_pairs(cells: pd.DataFrame) -> list[tuple[str, str]]:
    """The (organisation, period) pairs of a file's cells, sorted."""
    pairs = cells.groupby(["org_code", "period"], observed=True).size().index
    return sorted((str(org), str(period)) for org, period in pairs)


def changed_pairs(con: duckdb.DuckDBPyConnection, cells: pd.DataFrame) -> list[tuple[str, str]]:
    """The (organisation, period) pairs whose cells differ from their newest live version."""
    keys = file_pairs(cells)
    with _wanted(con, keys):
        live = con.execute(_sql("live_count")).fetchall()
    if not live[0][0]:
        return keys  # nothing to compare with: every pair is new
    con.register("new_cells", cells[CANONICAL])
    try:
        rows = con.execute(_sql("changed_pairs")).fetchall()
    finally:
        con.unregister("new_cells")
    return [(str(org), str(period)) for org, period in rows]


class FactKeyError(RuntimeError):
    """Cells that break the fact table's keys reached the insert: validation should have refused them."""


def check_fact_keys(con: duckdb.DuckDBPyConnection) -> None:
    """The fact table's keys for the cells registered as `new_cells`, all at once (the table checks none)."""
    broken = con.execute(_sql("fact_key_problems")).fetchall()
    if broken:
        shown = "; ".join(f"{problem}: {', '.join(map(str, cell))}" for problem, *cell in broken)
        raise FactKeyError(f"cells that break the fact table's keys (a bug of validation): {shown}")


def insert_submissions(
    con: duckdb.DuckDBPyConnection,
    cells: pd.DataFrame,
    pairs: list[tuple[str, str]],
    sha256: str,
    actor: str,
    loaded_at: datetime,
    ids: dict[tuple[str, str], int] | None = None,
) -> list[dict[str, Any]]:
    """New draft versions of the given pairs with their cells; call inside a transaction.

    `ids` (a rebuild) gives each pair the submission id it had the first time.
    """
    wanted = pd.DataFrame(pairs, columns=["org_code", "period"], dtype=object)
    with _wanted(con, pairs):
        versions = con.execute(_sql("next_versions")).df()
    in_file = set(file_pairs(cells))
    # Usually every pair of the file is new; only a partly unchanged file needs the cells picked out.
    chosen = cells if in_file <= set(pairs) else cells.merge(wanted, on=["org_code", "period"])
    by_pair = chosen.groupby(["org_code", "period"], observed=True)
    counts = by_pair.size().rename("row_count").reset_index()
    counts[["org_code", "period"]] = counts[["org_code", "period"]].astype(str)
    plan = versions.merge(counts, on=["org_code", "period"])
    plan["id"] = [(ids or {}).get((o, p)) for o, p in zip(plan["org_code"], plan["period"], strict=True)]
    plan["id"] = plan["id"].astype("Int64")
    con.register("new_submissions", plan)
    try:
        inserted = con.execute(
            _sql("insert_submissions"), {"sha256": sha256, "actor": actor, "loaded_at": loaded_at}
        ).df()
    finally:
        con.unregister("new_submissions")
    con.register("inserted_submissions", inserted)
    con.register("new_cells", chosen[CANONICAL])
    try:
        check_fact_keys(con)
        con.execute(_sql("insert_facts"))
    finally:
        con.unregister("new_cells")
        con.unregister("inserted_submissions")
    sums = {(str(o), str(p)): v for (o, p), v in by_pair["value"].sum().items()}
    rows = dict(zip(zip(counts["org_code"], counts["period"], strict=True), counts["row_count"], strict=True))
    return [
        {
            "org_code": row.org_code,
            "period": row.period,
            "version": int(row.version),
            "id": int(row.id),
            "rows": int(rows[(row.org_code, row.period)]),
            "value_sum": int(sums[(row.org_code, row.period)]),
        }
        for row in inserted.sort_values(["org_code", "period"]).itertuples(index=False)
    ]
