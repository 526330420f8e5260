"""Valid files that demo members might send next: a new 2025 for yearly reporters, one file each.

Each file replaces a member's 2025 with freshly drawn, consistent counts whose total
of new clients differs from the one it replaces, so every publication changes the
network's 2025 total and a page showing numbers of another version is caught.
"""

from __future__ import annotations

from pathlib import Path

from etl import snapshots
from etl.codebook import TOTAL
from etl.config import Settings
from etl.demo import LAST_YEAR, ORGS
from etl.synthetic import consistent_cells, long_csv_bytes

PERIOD = str(LAST_YEAR)
YEARLY = [o.code for o in ORGS if o.cadence == "Y" and (o.last_year or LAST_YEAR) >= LAST_YEAR]


def _current_totals(data_dir: Path) -> dict[str, int]:
    ref = snapshots.current(Settings(data_dir=data_dir))
    assert ref is not None, "no published data to update"
    with snapshots.open_snapshot(ref.path) as con:
        rows = con.execute(
            "SELECT org_code, value FROM fact_reported WHERE period = ? AND measure = 'PERS_NEW' "
            "AND dim1 = ? AND dim2 = ?",
            [PERIOD, TOTAL, TOTAL],
        ).fetchall()
    return {org: int(value) for org, value in rows if value is not None}


def _new_total(cells) -> int:  # type: ignore[no-untyped-def]
    total = cells[(cells["measure"] == "PERS_NEW") & (cells["dim1"] == TOTAL) & (cells["dim2"] == TOTAL)]
    return int(total["value"].iloc[0])


def update_files(data_dir: Path, folder: Path, count: int, seed: int = 8) -> list[Path]:
    """`count` CSV files in `folder`, to be loaded and published in order on `data_dir`'s data."""
    folder.mkdir(parents=True, exist_ok=True)
    totals = _current_totals(data_dir)
    files = []
    attempt = seed * 1000
    for number in range(count):
        org = YEARLY[number % len(YEARLY)]
        while True:  # deterministic: the first draw whose total differs from the one it replaces
            attempt += 1
            cells = consistent_cells([(org, PERIOD)], seed=attempt, size=float(totals.get(org, 25)))
            if _new_total(cells) != totals.get(org):
                break
        totals[org] = _new_total(cells)
        path = folder / f"{number + 1:02d}-{org}-{PERIOD}.csv"
        path.write_bytes(long_csv_bytes(cells))
        files.append(path)
    return files
