"""The demo data's figures read independently of the dashboard: own SQL on the snapshot, own threshold rule.

The pages' figures are checked against these, so a page that drew a different
number, or an unprotected one, fails.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from etl.config import Settings
from etl.publish import snapshots

THRESHOLD = 5


def protect(value: float | None, threshold: int = THRESHOLD) -> float | None:
    """What may be drawn: 0 or >= threshold; 1..threshold-1 and "not collected" are gaps (None)."""
    if value is None:
        return None
    return float(value) if value == 0 or value >= threshold else None


def snapshot(data_dir: Path) -> duckdb.DuckDBPyConnection:
    ref = snapshots.current(Settings(data_dir=data_dir))
    assert ref is not None
    return snapshots.open_snapshot(ref.path)


def cells(
    con: duckdb.DuckDBPyConnection,
    measure: str,
    dim1: str = "_T",
    dim2: str = "_T",
    kinds: tuple[str, ...] = ("Y",),
    year: int | None = None,
) -> dict[tuple[str, str, str], float | None]:
    """(period, code1, code2) -> the network figure as publishing protected it (None when hidden).

    Read with own SQL from the snapshot's stored protected cells (every table of a measure and
    year protected together at publish time, etl.disclosure), not through the dashboard's gate;
    the threshold rule is checked on top. Tables not offered (withheld) have no cells here.
    """
    rows = con.execute(
        """
        SELECT period, code1, code2, value FROM published_cell
        WHERE subset = 'all' AND measure = ? AND dim1 = ? AND dim2 = ? AND list_contains(?, kind)
          AND (? IS NULL OR year = ?) AND offered
          AND (dim1 = '_T' OR code1 <> '_T') AND (dim2 = '_T' OR code2 <> '_T')
        ORDER BY ALL
        """,
        [measure, dim1, dim2, list(kinds), year, year],
    ).fetchall()
    return {(period, code1, code2): protect(value) for period, code1, code2, value in rows}


def breakdown_total(con: duckdb.DuckDBPyConnection, measure: str, dim1: str) -> dict[str, float | None]:
    """period -> a one-way breakdown's own total (its margin cell) as publishing protected it."""
    rows = con.execute(
        "SELECT period, value FROM published_cell WHERE subset = 'all' AND kind = 'Y' AND offered "
        "AND measure = ? AND dim1 = ? AND dim2 = '_T' AND code1 = '_T'",
        [measure, dim1],
    ).fetchall()
    return {period: protect(value) for period, value in rows}


def labels(con: duckdb.DuckDBPyConnection, dimension: str, lang: str = "en") -> dict[str, str]:
    return dict(con.execute(f"SELECT code, label_{lang} FROM code WHERE dimension = ?", [dimension]).fetchall())


def round_half_up(numerator: float, denominator: float) -> int:
    from decimal import ROUND_HALF_UP, Decimal

    return int((Decimal(numerator) * 100 / Decimal(denominator)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def offered(con: duckdb.DuckDBPyConnection, measure: str, dim1: str, dim2: str = "_T", year: int | None = None) -> bool:
    """Did publishing offer this network table (for `year`, or for some year)? Withheld tables have no chart."""
    row = con.execute(
        "SELECT coalesce(bool_or(offered), false) FROM published_cell WHERE subset = 'all' AND kind = 'Y' "
        "AND measure = ? AND dim1 = ? AND dim2 = ? AND (? IS NULL OR year = ?)",
        [measure, dim1, dim2, year, year],
    ).fetchone()
    return bool(row and row[0])
