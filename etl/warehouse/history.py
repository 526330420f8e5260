"""Submission history: every version of every (organisation, period), newest first, with its file."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import duckdb


@dataclass(frozen=True)
class Entry:
    org_code: str
    period: str
    version: int
    status: str  # draft | published | superseded | withdrawn | discarded | ...
    loaded_at: datetime
    loaded_by: str
    rows: int
    file_name: str
    published_version: int | None
    ended_version: int | None


def submissions(con: duckdb.DuckDBPyConnection, org: str | None = None) -> list[Entry]:
    rows = con.execute(
        "SELECT s.org_code, s.period, s.version, s.status, s.loaded_at, s.loaded_by, s.row_count, "
        "r.file_name, s.published_version, s.ended_version "
        "FROM submission AS s JOIN raw_file AS r ON r.sha256 = s.file_sha256 "
        "WHERE ?::TEXT IS NULL OR s.org_code = ? "
        "ORDER BY s.org_code, s.period, s.version DESC",
        [org, org],
    ).fetchall()
    return [Entry(*row) for row in rows]
