"""Synthetic demo data: fictional members, fictional counts, loaded through the real load path.

The generator draws fictional persons in memory (never written anywhere) and
aggregates them to every table family of the contract, so every breakdown sums
to its total by construction. Same seed, same bytes.

The members and the persons they see are `etl.demo.fiction`; this module writes their
files and loads them, round by round.
"""

from __future__ import annotations

import csv
import io
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from etl.config import Settings
from etl.demo.fiction import FIRST_YEAR, LAST_YEAR, ORGS, DemoOrg, draw_people, draw_person, half_index, rows_for_year
from etl.errors import InputError
from etl.sqlfiles import transaction

DATASET = "synthetic-demo"  # stored in the warehouse; every page and export says so
LONG_HEADER = [
    "organisation", "period", "measure",
    "exploitation_form", "exploitation_place", "legal_status", "sex", "age_group",
    "citizenship_group", "citizenship", "residence_status", "referral_source",
    "nas_status", "police_status", "labour_sector", "service_type", "value", "flag",
]  # fmt: skip


def _csv_bytes(rows: list[dict[str, str]], flag: str = "") -> bytes:
    buffer = io.StringIO()
    out = csv.DictWriter(buffer, fieldnames=LONG_HEADER, delimiter=";", lineterminator="\r\n", restval="")
    out.writeheader()
    for row in rows:
        out.writerow({**row, "flag": flag})
    return buffer.getvalue().encode("utf-8")


@dataclass(frozen=True)
class DemoFile:
    name: str
    year: int  # the publication round it belongs to
    data: bytes


def demo_files(seed: int) -> list[DemoFile]:
    """Every file the fictional members send, in the order they arrive."""
    people = {org.code: draw_people(org, seed) for org in ORGS}
    files = []
    for year in range(FIRST_YEAR, LAST_YEAR + 1):
        for org in ORGS:
            rng = random.Random(f"{seed}:{org.code}:{year}")
            if not org.first_year <= year <= (org.last_year or LAST_YEAR):
                continue
            if year > org.first_year and rng.random() < 0.1:
                continue  # missed this round
            rows = rows_for_year(org, people[org.code], year, rng)
            flag = "P" if year == LAST_YEAR and org.cadence == "Y" else ""
            files.append(DemoFile(f"{org.code}-{year}.csv", year, _csv_bytes(rows, flag)))
        if year == 2022:
            files.append(corrected_file(seed))
    return files


def org_active_from(org: DemoOrg) -> date:
    return date(org.first_year, 1, 1)


def org_active_to(org: DemoOrg) -> date | None:
    return date(org.last_year, 12, 31) if org.last_year else None


def corrected_file(seed: int) -> DemoFile:
    """A member's corrected resend of an earlier year (a revision: flag R)."""
    org = ORGS[1]
    rng = random.Random(f"{seed}:{org.code}:correction")
    people = draw_people(org, seed)
    # Found later: six persons with one story, all in the same cells, so each figure the correction changes
    # moves by at least the threshold. A change of 1-4 persons is a small count that two versions side by
    # side would pin (docs/disclosure.md): the network's 2021 total was hidden in every later version.
    people.extend([draw_person(rng, half_index(2021, 2), org.focus)] * 6)
    rows = rows_for_year(org, people, 2021, random.Random(f"{seed}:{org.code}:2021"))
    return DemoFile(f"{org.code}-2021-korjattu.csv", 2022, _csv_bytes(rows, "R"))


def mark_dataset(con: Any, dataset: str, actor: str, recorded: Any = None) -> None:
    """Name the dataset the warehouse holds (every page says "synthetic demo"); audited, so a rebuild repeats it."""
    from etl.warehouse import audit

    with transaction(con):
        con.execute(
            "INSERT INTO schema_info VALUES ('dataset', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [dataset],
        )
        if recorded is not None:
            audit.append_recorded(con, recorded)
        else:
            audit.append(con, actor, "dataset", "ok", {"dataset": dataset})


def build_demo(settings: Settings, progress: Callable[[int, int], None] | None = None) -> int:
    """Create the demo members, load every demo file through the load path, publish each round."""
    from etl.publish import versions as publish
    from etl.warehouse import load, organisations
    from etl.warehouse.writer import writer

    with writer(settings, what="demo") as con:
        used = con.execute("SELECT count(*) FROM submission").fetchone()
        dataset = con.execute("SELECT value FROM schema_info WHERE key = 'dataset'").fetchone()
        if used and used[0] and not (dataset and dataset[0] == DATASET):
            raise InputError("demo.not_empty", path=str(settings.warehouse_path))
        if not dataset:
            mark_dataset(con, DATASET, "demo")
        known = {org.code for org in organisations.list_all(con)}
        for org in ORGS:
            if org.code not in known:
                fi, sv, en = org.names
                organisations.add(
                    con,
                    organisations.Organisation(
                        org.code, fi, sv, en, org.org_type, org_active_from(org), org_active_to(org)
                    ),
                    actor="demo",
                )
        files = demo_files(settings.demo_seed)
        version = 0
        for year in range(FIRST_YEAR, LAST_YEAR + 1):
            batch = [f for f in files if f.year == year]
            for demo_file in batch:
                result = load.load_into(
                    con,
                    settings,
                    demo_file.data,
                    demo_file.name,
                    "demo",
                    today=date(year + 1, 2, 1),
                )
                if not result.ok:
                    details = "; ".join(f"{p.location('en')}: {p.message('en')}" for p in result.problems[:5])
                    raise RuntimeError(f"demo file {demo_file.name} was rejected: {details}")
            version = publish.publish_drafts(con, settings, "demo") or version
            if progress:
                progress(year, len(batch))
    return version
