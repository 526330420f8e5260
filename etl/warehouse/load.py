"""Load a member's file: screen, keep the raw bytes, validate, and insert in one transaction or not at all.

The order, and why:

1. `screen.screen_bytes` looks at the bytes (type by content, size, macros,
   encryption, zip and XML bombs, person-level data) before anything parses them.
2. `screen.read_tables` parses (the readers of `etl.intake.readers`); `screen.screen_tables` looks at every cell.
3. The raw bytes are kept as data/raw/<sha256>.<ext>, before validation and
   before the warehouse changes. "Store raw first" and "no person-level data
   ever enters" meet here: screening runs in memory first, and when it finds
   person-level data the bytes are never written anywhere; the audit row keeps
   only the hash, the file name and the findings (codes and places, never the
   values). Files over the size limit are not kept either (they would let anyone
   fill the disk), and a dry run keeps nothing.
4. `validate.validate_tables` checks every rule of the contract at once.
5. One transaction: a new draft version per changed (organisation, period), and
   exactly one audit row whatever the outcome. A pair whose cells equal its
   newest live version gets no new version, so the same file again changes
   nothing and says so, and a corrected file changes only the pairs it corrects.
6. With `publish_now`, the new drafts are published (a new data version).

The audit row of a load records what `etl.ops.rebuild` needs to replay it: the
file's hash and kind, the day the rules were checked against, and each new
submission's id, version and row count.

The reads and writes of submission versions (step 5) are `etl.warehouse.submissions`.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pyarrow

from etl.config import Settings, get_settings
from etl.durable import write_atomic
from etl.errors import BusyError
from etl.intake import left_out, screen
from etl.intake.problems import ERROR, Problem, RejectedError, errors
from etl.intake.screen import read_tables
from etl.intake.shapes import Context, OrgInfo
from etl.intake.sniff import Table
from etl.intake.validate import CANONICAL, validate_tables
from etl.publish import versions as publish
from etl.sqlfiles import transaction
from etl.warehouse import audit
from etl.warehouse.submissions import changed_pairs, file_pairs, insert_submissions, live_cells, live_tables
from etl.warehouse.writer import writer

log = logging.getLogger(__name__)
AUDIT_LOCATIONS = 20  # problem places kept in the audit row (codes and places only, never values)
Progress = Callable[..., None]


@dataclass
class LoadResult:
    outcome: str  # loaded | unchanged | rejected | checked (dry run) | busy
    file_name: str
    sha256: str
    problems: list[Problem] = field(default_factory=list)
    submissions: list[dict[str, Any]] = field(default_factory=list)
    unchanged: list[tuple[str, str]] = field(default_factory=list)  # pairs equal to their live version
    published_version: int | None = None
    raw_kept: bool = False
    personal_data: bool = False
    rows: int = 0

    @property
    def ok(self) -> bool:
        return self.outcome not in ("rejected", "busy")

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity != ERROR]


@dataclass
class Inspected:
    """What screening and reading made of a file's bytes."""

    tables: list[Table]
    problems: list[Problem]
    personal_data: bool
    kind: str  # xlsx | csv | bin: the raw file's extension


def file_kind(data: bytes) -> str:
    """The raw file's extension, judged from the bytes."""
    if data.startswith(b"PK\x03\x04"):
        return "xlsx"
    return "csv" if b"\x00" not in data[:65536] else "bin"


def store_raw(settings: Settings, data: bytes, sha256: str, extension: str) -> Path:
    """Keep the bytes as data/raw/<sha256>.<ext>; never rewrite a file that is there."""
    settings.raw_dir.mkdir(parents=True, exist_ok=True)
    target = settings.raw_dir / f"{sha256}.{extension}"
    if not target.exists():
        write_atomic(target, data)
    return target


def raw_path(settings: Settings, sha256: str) -> Path | None:
    """The kept bytes of a file, whatever extension they were stored with."""
    found = sorted(settings.raw_dir.glob(f"{sha256}.*")) if settings.raw_dir.is_dir() else []
    return found[0] if found else None


def inspect_bytes(data: bytes, settings: Settings) -> Inspected:
    """Screen and read a file in memory; nothing is written anywhere."""
    kind = file_kind(data)
    problems = screen.screen_bytes(data, settings)
    tables: list[Table] = []
    if not errors(problems):
        try:
            tables = read_tables(data, settings)
        except RejectedError as rejected:
            problems += rejected.problems
    if tables:
        problems += screen.screen_tables(tables)
    personal = screen.has_personal_data(problems)
    # Person-level data stops everything; a file refused for formula text alone is still validated, so that
    # the member hears of every problem at once (the file is refused either way).
    return Inspected(tables if not personal else [], problems, personal, kind)


def organisations_context(con: duckdb.DuckDBPyConnection, today: date | None = None) -> Context:
    rows = con.execute("SELECT code, active_from, active_to FROM organisation").fetchall()
    context = Context({code: OrgInfo(code, start, end) for code, start, end in rows}, today or date.today())
    context.history = lambda pairs: live_cells(con, pairs)
    context.tables = lambda pairs: live_tables(con, pairs)
    return context


def check(
    con: duckdb.DuckDBPyConnection, data: bytes, settings: Settings, today: date | None = None
) -> tuple[pd.DataFrame, list[Problem], Inspected]:
    """Screen, read and validate; the cells are loadable only when no problem is an error."""
    inspected = inspect_bytes(data, settings)
    return (*validate_inspected(con, inspected, today), inspected)


def validate_inspected(
    con: duckdb.DuckDBPyConnection, inspected: Inspected, today: date | None = None
) -> tuple[pd.DataFrame, list[Problem]]:
    problems = list(inspected.problems)
    if inspected.personal_data or (errors(problems) and not inspected.tables):
        return pd.DataFrame(columns=CANONICAL), problems
    result = validate_tables(inspected.tables, organisations_context(con, today))
    screened = {(p.sheet, p.row, p.column) for p in problems if p.row is not None}
    problems += [p for p in result.problems if (p.sheet, p.row, p.column) not in screened]  # a place once
    if not errors(problems) and result.cells.empty:
        problems.append(Problem("no_rows"))
    return result.cells, problems


def scope_problems(cells: pd.DataFrame, scope: tuple[str, str | None]) -> list[Problem]:
    """An error at the first row of each (organisation, period) other than `scope` (period None: any of its periods)."""
    if cells.empty:
        return []
    org, period = scope
    known = cells[cells["org_code"].notna() & cells["period"].notna()]  # unreadable ones are errors already
    if period is None:
        others = known[known["org_code"].astype(str) != org].drop_duplicates("org_code")
        return [
            Problem(
                "outside_upload_org",
                sheet=None if pd.isna(row.sheet) else str(row.sheet),
                row=int(row.row),
                column="organisation",
                value=str(row.org_code),
                params={"org": str(row.org_code), "chosen_org": org},
            )
            for row in others.itertuples(index=False)
        ]
    keys = known["org_code"].astype(str) + "\x1f" + known["period"].astype(str)
    others = known.assign(_key=keys)[keys != f"{org}\x1f{period}"].drop_duplicates("_key")
    return [
        Problem(
            "outside_upload_scope",
            sheet=None if pd.isna(row.sheet) else str(row.sheet),
            row=int(row.row),
            column="organisation" if row.org_code != org else "period",
            value=f"{row.org_code} {row.period}",
            params={"org": str(row.org_code), "period": str(row.period), "chosen_org": org, "chosen_period": period},
        )
        for row in others.itertuples(index=False)
    ]


def audit_detail(
    result: LoadResult, size: int, kind: str, today: date, dry_run: bool, publish_now: bool
) -> dict[str, Any]:
    problem_codes: dict[str, int] = {}
    for problem in result.problems:
        problem_codes[problem.code] = problem_codes.get(problem.code, 0) + 1
    places = [
        {"code": p.code, "sheet": p.sheet, "row": p.row, "column": p.column} for p in result.problems[:AUDIT_LOCATIONS]
    ]
    return {
        "file_name": result.file_name,
        "sha256": result.sha256,
        "size_bytes": size,
        "kind": kind,
        "raw_kept": result.raw_kept,
        "personal_data": result.personal_data,
        "dry_run": dry_run,
        "publish_requested": publish_now,
        "checked_on": today.isoformat(),
        "submissions": result.submissions,
        "unchanged": [list(pair) for pair in result.unchanged],
        "rows": result.rows,
        "errors": len(errors(result.problems)),
        "warnings": len(result.problems) - len(errors(result.problems)),
        "problems": problem_codes,
        "places": places,
    }


def load_bytes(
    data: bytes,
    file_name: str,
    actor: str,
    settings: Settings | None = None,
    publish_now: bool = False,
    dry_run: bool = False,
    today: date | None = None,
    progress: Progress | None = None,
    scope: tuple[str, str | None] | None = None,
) -> LoadResult:
    """Load one file's bytes. A rejected file changes nothing but the audit log."""
    settings = settings or get_settings()
    try:
        with writer(settings, what=f"load {file_name}") as con:
            result = load_into(con, settings, data, file_name, actor, publish_now, dry_run, today, progress, scope)
    except BusyError:
        # Nothing was screened, so nothing is kept: the row says who tried what, and when.
        sha256 = hashlib.sha256(data).hexdigest()
        busy = LoadResult("busy", file_name, sha256)
        detail = audit_detail(busy, len(data), file_kind(data), today or date.today(), dry_run, publish_now)
        audit.spool(settings, actor, "load", "busy", detail)
        raise
    log.info("load %s %s: %s", file_name, result.sha256[:12], result.outcome)
    return result


def load_into(
    con: duckdb.DuckDBPyConnection,
    settings: Settings,
    data: bytes,
    file_name: str,
    actor: str,
    publish_now: bool = False,
    dry_run: bool = False,
    today: date | None = None,
    progress: Progress | None = None,
    scope: tuple[str, str | None] | None = None,
) -> LoadResult:
    """The load itself, on a warehouse the caller holds open with `writer()`.

    `scope` (organisation, period): the file may hold only that pair's figures
    (the upload page names them); any other pair is an error at its first row.
    A period of None lets the file hold any periods of that organisation.
    """
    today = today or date.today()
    step = progress or (lambda stage, **info: None)
    sha256 = hashlib.sha256(data).hexdigest()
    result = LoadResult("rejected", file_name, sha256)
    step("screen", size=len(data))
    inspected = inspect_bytes(data, settings)
    result.personal_data = inspected.personal_data
    if not (inspected.personal_data or dry_run or len(data) > settings.max_upload_bytes):
        store_raw(settings, data, sha256, inspected.kind)
        result.raw_kept = True
    pyarrow.default_memory_pool().release_unused()  # what reading a big file left behind
    step("validate", tables=len(inspected.tables))
    cells, result.problems = validate_inspected(con, inspected, today)
    if scope is not None:
        kept = [p for p in result.problems if not left_out.outside(p, *scope)]  # refused for its pair already
        result.problems = scope_problems(cells, scope) + kept
    inspected.tables = []  # the text of a big file is not needed any more: free it before writing
    pyarrow.default_memory_pool().release_unused()  # and give its memory back, so writing has room
    result.rows = len(cells)
    step("write", rows=len(cells))
    loaded_at = datetime.now()
    with transaction(con):
        _decide_and_write(con, result, cells, data, inspected.kind, actor, loaded_at, dry_run)
        detail = audit_detail(result, len(data), inspected.kind, today, dry_run, publish_now)
        audit.append(con, actor, "load", result.outcome, detail, logged_at=loaded_at)
    if publish_now and result.ok and not dry_run:
        step("publish")
        keys = sorted({(s["org_code"], s["period"]) for s in result.submissions} | set(result.unchanged))
        result.published_version = publish.publish_drafts(con, settings, actor, keys=keys, note=f"load {file_name}")
    step("done", outcome=result.outcome)
    return result


def _decide_and_write(
    con: duckdb.DuckDBPyConnection,
    result: LoadResult,
    cells: pd.DataFrame,
    data: bytes,
    kind: str,
    actor: str,
    loaded_at: datetime,
    dry_run: bool,
) -> None:
    if errors(result.problems):
        result.outcome = "rejected"
        return
    if dry_run:
        result.outcome = "checked"
        return
    keys = file_pairs(cells)
    changed = changed_pairs(con, cells)
    result.unchanged = [pair for pair in keys if pair not in set(changed)]
    if not changed:
        result.outcome = "unchanged"
        return
    con.execute(
        "INSERT INTO raw_file VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
        [result.sha256, result.file_name, kind, len(data), loaded_at],
    )
    result.submissions = insert_submissions(con, cells, changed, result.sha256, actor, loaded_at)
    result.outcome = "loaded"
