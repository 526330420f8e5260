"""Load a member's file: keep the raw bytes, validate, and insert in one transaction or not at all.

Each (organisation, period) in a file becomes a new submission version (a draft
until published). Every attempt leaves exactly one audit row.
"""

from __future__ import annotations

import hashlib
import logging
import os
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from etl import audit, publish
from etl.config import Settings, get_settings
from etl.errors import BusyError
from etl.problems import Problem, RejectedError, errors
from etl.readers import read_tables, sniff_kind
from etl.validate import CANONICAL, Context, OrgInfo, validate_table
from etl.warehouse import writer

log = logging.getLogger(__name__)


@dataclass
class LoadResult:
    outcome: str  # loaded | unchanged | rejected | checked (dry run)
    file_name: str
    sha256: str
    problems: list[Problem] = field(default_factory=list)
    submissions: list[dict[str, Any]] = field(default_factory=list)
    published_version: int | None = None

    @property
    def ok(self) -> bool:
        return self.outcome != "rejected"


def store_raw(settings: Settings, data: bytes, sha256: str, extension: str) -> Path:
    """Keep the bytes as data/raw/<sha256>.<ext>; never rewrite a file that is there."""
    settings.raw_dir.mkdir(parents=True, exist_ok=True)
    target = settings.raw_dir / f"{sha256}.{extension}"
    if not target.exists():
        temporary = settings.raw_dir / f".{sha256}.{uuid.uuid4().hex[:8]}.tmp"
        temporary.write_bytes(data)
        with temporary.open("rb") as handle:
            os.fsync(handle.fileno())
        os.replace(temporary, target)
    return target


def load_context(con: duckdb.DuckDBPyConnection, today: date | None = None) -> Context:
    rows = con.execute("SELECT code, active_from, active_to FROM organisation").fetchall()
    return Context({code: OrgInfo(code, start, end) for code, start, end in rows}, today or date.today())


def check(con: duckdb.DuckDBPyConnection, data: bytes, today: date | None = None) -> tuple[pd.DataFrame, list[Problem]]:
    """Read and validate a file; the cells are loadable only when no problem is an error."""
    try:
        tables = read_tables(data)
    except RejectedError as rejected:
        return pd.DataFrame(columns=CANONICAL), rejected.problems
    context = load_context(con, today)
    frames, problems = [], []
    for table in tables:
        result = validate_table(table, context)
        frames.append(result.cells)
        problems += result.problems
    cells = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=CANONICAL)
    if not errors(problems) and cells.empty:
        problems.append(Problem("no_rows"))
    return cells, problems


def _unchanged(con: duckdb.DuckDBPyConnection, sha256: str, keys: list[tuple[str, str]]) -> bool:
    """True when the latest live version of every (organisation, period) came from this file."""
    for org_code, period in keys:
        row = con.execute(
            "SELECT file_sha256 FROM submission WHERE org_code = ? AND period = ? "
            "AND status NOT IN ('discarded', 'withdrawn', 'returned') ORDER BY version DESC LIMIT 1",
            [org_code, period],
        ).fetchone()
        if row is None or row[0] != sha256:
            return False
    return True


def _insert(
    con: duckdb.DuckDBPyConnection,
    cells: pd.DataFrame,
    sha256: str,
    file_name: str,
    size: int,
    extension: str,
    actor: str,
) -> list[dict[str, Any]]:
    now = datetime.now()
    con.execute(
        "INSERT INTO raw_file VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
        [sha256, file_name, extension, size, now],
    )
    submissions = []
    for (org_code, period), group in cells.groupby(["org_code", "period"], sort=True):
        row = con.execute(
            "SELECT coalesce(max(version), 0) + 1 FROM submission WHERE org_code = ? AND period = ?",
            [org_code, period],
        ).fetchone()
        assert row is not None
        version = int(row[0])
        id_row = con.execute(
            "INSERT INTO submission (org_code, period, version, status, file_sha256, loaded_by, loaded_at, row_count) "
            "VALUES (?, ?, ?, 'draft', ?, ?, ?, ?) RETURNING id",
            [org_code, period, version, sha256, actor, now, len(group)],
        ).fetchone()
        assert id_row is not None
        facts = group[CANONICAL[2:]].copy()
        facts.insert(0, "submission_id", int(id_row[0]))
        con.register("new_facts", facts)
        try:
            con.execute(
                "INSERT INTO fact (submission_id, measure, dim1, code1, dim2, code2, value, flag) "
                "SELECT submission_id, measure, dim1, code1, dim2, code2, value, flag FROM new_facts"
            )
        finally:
            con.unregister("new_facts")
        submissions.append({"org_code": org_code, "period": period, "version": version, "rows": len(group)})
    return submissions


def _audit_detail(result: LoadResult, size: int) -> dict[str, Any]:
    problem_codes: dict[str, int] = {}
    for problem in result.problems:
        problem_codes[problem.code] = problem_codes.get(problem.code, 0) + 1
    return {
        "file_name": result.file_name,
        "sha256": result.sha256,
        "size_bytes": size,
        "submissions": result.submissions,
        "rows": sum(s["rows"] for s in result.submissions),
        "errors": len(errors(result.problems)),
        "warnings": len(result.problems) - len(errors(result.problems)),
        "problems": problem_codes,
    }


def load_bytes(
    data: bytes,
    file_name: str,
    actor: str,
    settings: Settings | None = None,
    publish_now: bool = False,
    dry_run: bool = False,
    today: date | None = None,
) -> LoadResult:
    """Load one file's bytes. A rejected file changes nothing but the audit log."""
    settings = settings or get_settings()
    sha256 = hashlib.sha256(data).hexdigest()
    store_raw(settings, data, sha256, sniff_kind(data) or "bin")
    try:
        with writer(settings, what=f"load {file_name}") as con:
            result = load_into(con, settings, data, file_name, actor, publish_now, dry_run, today)
    except BusyError:
        detail = _audit_detail(LoadResult("busy", file_name, sha256), len(data))
        audit.spool(settings, actor, "load", "busy", detail)
        raise
    log.info("load %s %s: %s", file_name, sha256[:12], result.outcome)
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
) -> LoadResult:
    """The load itself, on a warehouse the caller holds open with `writer()`."""
    sha256 = hashlib.sha256(data).hexdigest()
    extension = sniff_kind(data) or "bin"
    store_raw(settings, data, sha256, extension)
    result = LoadResult("rejected", file_name, sha256)
    cells, result.problems = check(con, data, today)
    keys = sorted(set(zip(cells["org_code"], cells["period"], strict=True))) if not cells.empty else []
    if errors(result.problems):
        result.outcome = "rejected"
    elif dry_run:
        result.outcome = "checked"
    elif _unchanged(con, sha256, keys):
        result.outcome = "unchanged"
    else:
        result.outcome = "loaded"
    con.execute("BEGIN TRANSACTION")
    try:
        if result.outcome == "loaded":
            result.submissions = _insert(con, cells, sha256, file_name, len(data), extension, actor)
        audit.append(con, actor, "load", result.outcome, _audit_detail(result, len(data)))
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    if result.outcome == "loaded" and publish_now:
        result.published_version = publish.publish_drafts(con, settings, actor, keys=keys, note=f"load {file_name}")
    return result


def load_file(path: Path, actor: str, **options: Any) -> LoadResult:
    return load_bytes(path.read_bytes(), path.name, actor, **options)
