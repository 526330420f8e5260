"""What an upload would change in the published figures, before anyone publishes it.

Two parts, both for one organisation and period:

- `exact_changes`: the organisation's own cells, published (before) against
  uploaded (after), per measure and breakdown. Exact figures: only the
  coordinator and the organisation's own reporters may see them.
- a **preview snapshot**: a private copy of the current snapshot with that
  organisation's period replaced by the upload, built by the snapshot's own
  models (06_fact, 07_coverage), so the dashboard's disclosure gate can protect
  it exactly as it would protect the published version (before vs after).

A preview lives in one dashboard session only: its file is in
data/processed/previews/<random>/ (readable by the service user only), the
dashboard opens it without any shared cache (dashboard.reading.data.run_query), and it
is deleted when the session publishes, submits or starts again, or after
PREVIEW_HOURS. Nothing here is cached.
"""

from __future__ import annotations

import os
import shutil
import time
import uuid
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb
import pandas as pd

from etl import disclosure
from etl.codebook import load_codebook
from etl.config import Settings
from etl.publish import snapshots
from etl.publish.snapshots import SnapshotRef
from etl.services.access import UPLOADERS, AccessDenied, Caller, require
from etl.sqlfiles import read_sql, run_sql_file

SQL_DIR = Path(__file__).parent.parent / "sql" / "preview"
SNAPSHOT_SQL = Path(__file__).parent.parent / "sql" / "snapshot"
PREVIEW_HOURS = 12
KEY = ["measure", "dim1", "code1", "dim2", "code2"]
DERIVED = ("meta", "submission", "fact_reported", "fact", "coverage")  # built here, not copied
# The protected tables are made again for the preview by the publishing code (etl.disclosure), never copied:
# copied, they would show the published figures as "after".
PROTECTED = (
    "published_cell",
    "published_level",
    "published_level_member",
    "folded_country",
    "published_cluster",
    "protection_loss",
    "disclosure_meta",
)


@dataclass
class Preview:
    org_code: str
    period: str
    submission_version: int
    before: SnapshotRef | None  # the published snapshot now (None before the first publication)
    after: SnapshotRef | None  # the private preview snapshot
    exact: pd.DataFrame  # KEY + before, after, difference (Int64), changed (bool)
    folder: Path | None

    @property
    def changed(self) -> int:
        return int(self.exact["changed"].sum())


def preview_dir(settings: Settings) -> Path:
    return settings.processed_dir / "previews"


def is_preview(settings: Settings, path: Path) -> bool:
    """Is `path` a private preview file (never to be opened through a shared cache)?"""
    return Path(path).resolve().is_relative_to(preview_dir(settings).resolve())


def check_viewer(caller: Caller | None, org: str) -> Caller:
    """Exact figures of `org`: the coordinator, admins and the organisation's own reporters."""
    who = require(caller, *UPLOADERS, action="preview")
    if not who.may_see_exact(org):
        raise AccessDenied("preview")
    return who


def _sort_key(frame: pd.DataFrame) -> pd.DataFrame:
    book = load_codebook()
    order = {code: m.sort for code, m in book.measures.items()}
    return frame.assign(_m=frame["measure"].map(order)).sort_values(["_m", "dim1", "dim2", "code1", "code2"])


def published_cells(ref: SnapshotRef | None, org: str, period: str) -> pd.DataFrame:
    if ref is None:
        return pd.DataFrame(columns=[*KEY, "value", "flag"])
    with snapshots.open_snapshot(ref.path) as con:
        return con.execute(read_sql(SQL_DIR / "published_cells.sql"), {"org": org, "period": period}).df()


def exact_changes(
    ref: SnapshotRef | None, caller: Caller | None, org: str, period: str, cells: pd.DataFrame
) -> pd.DataFrame:
    """Every cell of the organisation's period: published value, uploaded value and the difference."""
    check_viewer(caller, org)
    before = published_cells(ref, org, period)[[*KEY, "value", "flag"]]
    after = cells[[*KEY, "value", "flag"]]
    both = before.merge(after, on=KEY, how="outer", suffixes=("_before", "_after"))
    old = both["value_before"].astype("Int64")
    new = both["value_after"].astype("Int64")
    same_value = (old == new).fillna(False) | (old.isna() & new.isna())
    same_flag = both["flag_before"].fillna("") == both["flag_after"].fillna("")
    out = both[KEY].assign(before=old, after=new, difference=new - old, changed=~(same_value & same_flag))
    return _sort_key(out).drop(columns="_m").reset_index(drop=True)


def _literal(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def _build_file(
    current: SnapshotRef,
    target: Path,
    params: dict[str, object],
    cells: pd.DataFrame,
    threshold: int,
    priors: list[Path],
    kept: Path,
) -> None:
    con = duckdb.connect()
    try:
        con.execute(f"ATTACH {_literal(current.path)} AS cur (READ_ONLY)")
        con.execute(f"ATTACH {_literal(target)} AS snap")
        tables = con.execute("SELECT table_name FROM duckdb_tables() WHERE database_name = 'cur'").fetchall()
        for (table,) in tables:
            if table not in DERIVED + PROTECTED:  # names from the snapshot's own catalogue, not from a person
                con.execute(f'CREATE TABLE snap."{table}" AS SELECT * FROM cur."{table}"')
        con.register("new_cells", cells[[*KEY, "value", "flag"]])
        run_sql_file(con, SQL_DIR / "preview.sql", params)
        con.execute("USE snap")  # the models name codebook tables without a database
        for model in ("06_fact.sql", "07_coverage.sql"):
            run_sql_file(con, SNAPSHOT_SQL / model)
        con.execute("USE memory")
        con.execute("DETACH cur")  # write_protected opens the published snapshot itself, read-only
        # Protected as publishing would protect it: every table together, against every retained
        # version, unchanged years copied from the published one; the changed year is kept for
        # the publication that follows (the same figures against the same versions).
        disclosure.write_protected(con, threshold, priors, kept)
        con.execute("DETACH snap")
    finally:
        con.close()


def sweep(settings: Settings, hours: float = PREVIEW_HOURS) -> int:
    """Delete previews older than `hours` (a session that never finished); returns how many."""
    base = preview_dir(settings)
    if not base.is_dir():
        return 0
    limit = time.time() - hours * 3600
    old = [folder for folder in base.iterdir() if folder.is_dir() and folder.stat().st_mtime < limit]
    for folder in old:
        shutil.rmtree(folder, ignore_errors=True)
    return len(old)


def build(
    settings: Settings,
    caller: Caller | None,
    org: str,
    period: str,
    cells: pd.DataFrame,
    submission_version: int,
) -> Preview:
    """The preview of replacing (org, period)'s published figures with `cells`."""
    who = check_viewer(caller, org)
    sweep(settings)
    current = snapshots.current(settings)
    exact = exact_changes(current, who, org, period, cells)
    if current is None:  # nothing published yet: the network has no figures to compare with
        return Preview(org, period, submission_version, None, None, exact, None)
    base = preview_dir(settings)
    base.mkdir(mode=0o700, parents=True, exist_ok=True)
    folder = base / uuid.uuid4().hex
    folder.mkdir(mode=0o700)
    target = folder / snapshots.DB_NAME
    at = datetime.now()
    params = {
        "version": current.version + 1,
        "at": at,
        "by": who.username,
        "org": org,
        "period": period,
        "submission_id": None,
        "submission_version": submission_version,
    }
    try:
        priors = snapshots.earlier(settings, current.version + 1)
        _build_file(current, target, params, cells, settings.disclosure_threshold, priors, settings.protected_years_dir)
        os.chmod(target, 0o600)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    after = SnapshotRef(current.version + 1, target, at)
    return Preview(org, period, submission_version, current, after, exact, folder)


def discard(preview: Preview | None) -> None:
    """Delete a preview's file (after publishing, submitting, or starting again)."""
    if preview is not None and preview.folder is not None:
        shutil.rmtree(preview.folder, ignore_errors=True)
