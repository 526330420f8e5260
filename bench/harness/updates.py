"""Valid files that demo members might send next: corrections of a year by a yearly reporter.

Each file replaces one member's year with freshly drawn, consistent counts whose total
of new clients differs from the one it replaces, so every publication changes the
network's total of that year and a page showing numbers of another version is caught.
Successive files correct different years, newest first, as corrections arrive: the
protection of a year weighs every retained version of it (DATA-CONTRACT 8.2), so ten
rewrites of one year would time the protection, not the readers and writers these
tests are about (bench/bench_disclosure.py times a revision).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from etl.codebook import TOTAL
from etl.config import Settings
from etl.demo.fiction import LAST_YEAR, ORGS
from etl.demo.synthetic import consistent_cells, long_csv_bytes
from etl.publish import snapshots

YEARS = range(LAST_YEAR, LAST_YEAR - 10, -1)


def corrections(count: int, sent: set[tuple[str, str]]) -> list[tuple[str, str]]:
    """(member, year) of each file among those `sent`: every year once, newest first, before any year twice."""
    yearly = sorted(o.code for o in ORGS if o.cadence == "Y")
    out: list[tuple[str, str]] = []
    for round_ in range(count):
        for year in YEARS:
            orgs = [org for org in yearly if (org, str(year)) in sent]
            if orgs:
                out.append((orgs[round_ % len(orgs)], str(year)))
    return out[:count]


def _current_totals(data_dir: Path) -> dict[tuple[str, str], int]:
    ref = snapshots.current(Settings(data_dir=data_dir))
    assert ref is not None, "no published data to update"
    with snapshots.open_snapshot(ref.path) as con:
        rows = con.execute(
            "SELECT org_code, period, value FROM fact_reported WHERE measure = 'PERS_NEW' AND dim1 = ? AND dim2 = ?",
            [TOTAL, TOTAL],
        ).fetchall()
    return {(org, period): int(value) for org, period, value in rows if value is not None}


def _reported_tables(data_dir: Path) -> dict[tuple[str, str], set[tuple[str, str, str]]]:
    """Per (member, year): the tables it sent, so a correction changes figures, not what is reported."""
    ref = snapshots.current(Settings(data_dir=data_dir))
    assert ref is not None
    with snapshots.open_snapshot(ref.path) as con:
        rows = con.execute("SELECT DISTINCT org_code, period, measure, dim1, dim2 FROM fact_reported").fetchall()
    out: dict[tuple[str, str], set[tuple[str, str, str]]] = {}
    for org, period, measure, dim1, dim2 in rows:
        out.setdefault((org, period), set()).add((measure, dim1, dim2))
    return out


def _new_total(cells) -> int:  # type: ignore[no-untyped-def]
    total = cells[(cells["measure"] == "PERS_NEW") & (cells["dim1"] == TOTAL) & (cells["dim2"] == TOTAL)]
    return int(total["value"].iloc[0])


def update_files(data_dir: Path, folder: Path, count: int, seed: int = 8) -> list[Path]:
    """`count` CSV files in `folder`, to be loaded and published in order on `data_dir`'s data."""
    folder.mkdir(parents=True, exist_ok=True)
    totals = _current_totals(data_dir)
    tables = _reported_tables(data_dir)
    files = []
    attempt = seed * 1000
    for number, key in enumerate(corrections(count, set(totals))):
        while True:  # deterministic: the first draw whose total differs from the one it replaces
            attempt += 1
            cells = consistent_cells([key], seed=attempt, size=float(totals.get(key, 25)))
            sent = [t in tables.get(key, ()) for t in zip(cells["measure"], cells["dim1"], cells["dim2"], strict=True)]
            cells = cells[sent]
            if _new_total(cells) != totals.get(key):
                break
        totals[key] = _new_total(cells)
        org, period = key
        path = folder / f"{number + 1:02d}-{org}-{period}.csv"
        path.write_bytes(long_csv_bytes(cells))
        files.append(path)
    return files


def partial_file(data_dir: Path, folder: Path, org: str, period: str, total: int) -> Path:
    """`org`'s `period` as a coordinator typing two cells into the template sends it: new clients `total`,
    all in labour exploitation, beside its other measures' totals as published.

    Its other tables of new clients are left out: the tables it reports change, so the year is
    protected from the start (bench/bench_disclosure.py times it and attacks the result).
    """
    ref = snapshots.current(Settings(data_dir=data_dir))
    assert ref is not None, "no published data to update"
    with snapshots.open_snapshot(ref.path) as con:
        others = con.execute(
            """SELECT measure, value FROM fact_reported WHERE org_code = ? AND period = ? AND measure <> 'PERS_NEW'
               AND dim1 = ? AND dim2 = ? ORDER BY measure""",
            [org, period, TOTAL, TOTAL],
        ).fetchall()
    sent = [("PERS_NEW", TOTAL, TOTAL, total), ("PERS_NEW", "exploitation_form", "LAB", total)]
    sent += [(measure, TOTAL, TOTAL, int(value)) for measure, value in others]
    cells = pd.DataFrame(sent, columns=["measure", "dim1", "code1", "value"])
    cells = cells.assign(org_code=org, period=period, dim2=TOTAL, code2=TOTAL)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{org}-{period}-partial.csv"
    path.write_bytes(long_csv_bytes(cells))
    return path
