"""The workspace's actions as the dashboard calls them: each checks the caller itself.

A page reached by URL, or a session tampered with, gets AccessDenied here whatever
the page showed, and the refusal writes one audit row (outcome "denied"). Every
action that changes the warehouse takes the single writer (BusyError: "busy, try
again") and writes exactly one audit row; the ones that change what is public
make a new data version.

| action             | who                                   | audit row                      |
| ------------------ | ------------------------------------- | ------------------------------ |
| upload             | reporter (own organisation), staff    | load (loaded, unchanged, ...)  |
| publish_upload     | coordinator, admin                    | publish                        |
| submit             | reporter (own organisation)           | submit                         |
| approve            | coordinator, admin                    | approve (a new data version)   |
| return_submission  | coordinator, admin                    | return                         |
| withdraw           | coordinator, admin                    | withdraw (a new data version)  |
| restore            | coordinator, admin                    | restore (a new data version)   |
| add_organisation   | coordinator, admin                    | org_add                        |
| deactivate_org...  | coordinator, admin                    | org_deactivate                 |
"""

from __future__ import annotations

import hashlib
import io
import logging
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

from etl.codebook import load_codebook
from etl.config import Settings
from etl.errors import BusyError, InputError
from etl.intake.problems import Problem
from etl.periods import parse_period
from etl.publish import versions as publish
from etl.services.access import ORG_PEOPLE, STAFF, UPLOADERS, AccessDenied, Caller, Role, require
from etl.warehouse import audit, load, organisations, review, staff, submissions
from etl.warehouse.load import LoadResult, Progress
from etl.warehouse.writer import flush_audit, writer

log = logging.getLogger(__name__)
ORG_CODE = re.compile(r"[a-z0-9][a-z0-9-]{1,39}")


def _flush(settings: Settings) -> None:
    try:
        flush_audit(settings)
    except Exception:  # the row is safe in the spool; the next writer imports it
        log.exception("could not flush the audit spool")


def allowed(
    settings: Settings,
    caller: Caller | None,
    action: str,
    roles: tuple[Role, ...],
    org: str | None = None,
    **detail: Any,
) -> Caller:
    """The caller, if their role allows `action` (members and reporters: for their own organisation only).

    A refusal writes one audit row (outcome "denied") before AccessDenied is raised.
    """
    try:
        who = require(caller, *roles, action=action)
        if org is not None and who.role in ORG_PEOPLE and who.org_code != org:
            raise AccessDenied(action)
    except AccessDenied:
        actor = caller.username if caller else "anonymous"
        audit.spool(settings, actor, action, "denied", {"org_code": org, **detail})
        _flush(settings)
        raise
    return who


def _period(text: str) -> str:
    parsed = parse_period(text)
    if parsed is None:
        raise InputError("template.bad_period", period=text)
    return parsed.code


# Upload --------------------------------------------------------------------------------


EVERY_PERIOD = "*"  # an upload of every period the file holds, for one organisation


@dataclass
class Part:
    """One period of an upload: the pair's newest live version after it (for the preview)."""

    cells: pd.DataFrame  # measure, dim1, code1, dim2, code2, value, flag
    version: int
    status: str  # draft | pending | published


@dataclass
class Upload:
    """What an upload did, and each of its periods' newest live version after it."""

    result: LoadResult
    org_code: str
    period: str  # the period chosen, or EVERY_PERIOD
    parts: dict[str, Part] = field(default_factory=dict)  # period -> its part, in period order

    @property
    def problems(self) -> list[Problem]:
        return self.result.problems

    @property
    def ok(self) -> bool:
        return self.result.ok and bool(self.parts)

    @property
    def periods(self) -> list[str]:
        return list(self.parts)


def template_bytes(settings: Settings, caller: Caller | None, org: str, period: str, lang: str, name: str) -> bytes:
    """The workbook template for one organisation and period (reporters: their own)."""
    allowed(settings, caller, "template", UPLOADERS, org, period=period)
    from etl.intake.template import build_workbook

    buffer = io.BytesIO()
    build_workbook(org, _period(period), lang, name).save(buffer)
    return buffer.getvalue()


def _live_version(con: Any, org: str, period: str) -> tuple[pd.DataFrame, int | None, str | None]:
    rows = con.execute(
        "SELECT version, status FROM submission WHERE org_code = ? AND period = ? "
        "AND status IN ('draft', 'pending', 'published') ORDER BY version DESC LIMIT 1",
        [org, period],
    ).fetchall()  # fetched whole: an unfinished result would block the next statement
    if not rows:
        return pd.DataFrame(), None, None
    row = rows[0]
    cells = submissions.live_cells(con, [(org, period)]).drop(columns=["org_code", "period"])
    return cells.reset_index(drop=True), int(row[0]), str(row[1])


def upload(
    settings: Settings,
    caller: Caller | None,
    data: bytes,
    file_name: str,
    org: str,
    period: str,
    progress: Progress | None = None,
    today: date | None = None,
) -> Upload:
    """Screen, validate and load a file for one organisation and period as a draft (one audit row)."""
    who = allowed(settings, caller, "load", UPLOADERS, org, file_name=file_name, period=period)
    code = None if period == EVERY_PERIOD else _period(period)
    try:
        with writer(settings, what=f"upload {file_name}") as con:
            result = load.load_into(
                con, settings, data, file_name, who.username, today=today, progress=progress, scope=(org, code)
            )
            done = Upload(result, org, code or EVERY_PERIOD)
            if result.ok:
                for each in [code] if code else _file_periods(result, org):
                    cells, version, status = _live_version(con, org, each)
                    if version is not None and status is not None:
                        done.parts[each] = Part(cells, version, status)
    except BusyError:
        busy = LoadResult("busy", file_name, hashlib.sha256(data).hexdigest())
        detail = load.audit_detail(busy, len(data), load.file_kind(data), today or date.today(), False, False)
        audit.spool(settings, who.username, "load", "busy", detail)
        raise
    return done


def _file_periods(result: LoadResult, org: str) -> list[str]:
    """The periods of `org` a loaded file held (new versions and unchanged ones): H1, H2, the year."""
    pairs = {(s["org_code"], s["period"]) for s in result.submissions} | set(result.unchanged)
    periods = {period for owner, period in pairs if owner == org}
    return sorted(periods, key=_period_order)


def _period_order(code: str) -> tuple[int, bool, int]:
    """H1, H2, then the year (the order of a member's file and of the matrix)."""
    parsed = parse_period(code)
    return (parsed.year, parsed.half == 0, parsed.half) if parsed else (0, False, 0)


def publish_upload(
    settings: Settings, caller: Caller | None, org: str, period: str | list[str], note: str | None = None
) -> int:
    """Publish the newest draft of the period, or of each period, of an upload (staff): one new data version."""
    periods = [period] if isinstance(period, str) else period
    who = allowed(settings, caller, "publish", STAFF, org, period=", ".join(periods))
    keys = [(org, _period(each)) for each in periods]
    with writer(settings, what="publish") as con:
        version = publish.publish_drafts(con, settings, who.username, keys=keys, note=note)
    if version is None:
        raise InputError("workspace.errors.nothing_to_publish", org=org, period=", ".join(periods))
    return version


# Review ----------------------------------------------------------------------------------


def submit(settings: Settings, caller: Caller | None, org: str, period: str) -> dict[str, Any]:
    """A reporter sends their organisation's newest draft for approval (it becomes pending)."""
    who = allowed(settings, caller, "submit", (Role.REPORTER,), org, period=period)
    with writer(settings, what="submit") as con:
        return review.submit(con, who.username, org, _period(period))


def pending_cells(settings: Settings, caller: Caller | None, org: str, period: str) -> tuple[pd.DataFrame, int]:
    """The cells and version of the pair's upload waiting for approval (staff): what the approval preview shows."""
    allowed(settings, caller, "approve", STAFF, org, period=period)
    code = _period(period)
    with writer(settings, what="approval preview") as con:
        cells, version, status = _live_version(con, org, code)
    if status != "pending" or version is None:
        raise InputError("workspace.errors.nothing_pending", org=org, period=period)
    return cells, version


def approve(settings: Settings, caller: Caller | None, org: str, period: str, note: str | None = None) -> int:
    who = allowed(settings, caller, "approve", STAFF, org, period=period)
    with writer(settings, what="approve") as con:
        return review.approve(con, settings, who.username, org, _period(period), note or None)


def return_submission(settings: Settings, caller: Caller | None, org: str, period: str, comment: str) -> dict[str, Any]:
    who = allowed(settings, caller, "return", STAFF, org, period=period)
    with writer(settings, what="return") as con:
        return review.return_pending(con, who.username, org, _period(period), comment)


def withdraw(settings: Settings, caller: Caller | None, org: str, period: str, note: str | None = None) -> int:
    who = allowed(settings, caller, "withdraw", STAFF, org, period=period)
    with writer(settings, what="withdraw") as con:
        return publish.withdraw(con, settings, who.username, org, _period(period), note or None)


def restore(
    settings: Settings, caller: Caller | None, org: str, period: str, from_version: int, note: str | None = None
) -> tuple[int, int]:
    """Publish an earlier version again as a new version: (data version, new submission version)."""
    who = allowed(settings, caller, "restore", STAFF, org, period=period, from_version=from_version)
    with writer(settings, what="restore") as con:
        return review.restore(con, settings, who.username, org, _period(period), from_version, note or None)


# The member register ---------------------------------------------------------------------


def _check_organisation(org: organisations.Organisation) -> None:
    if not isinstance(org.active_from, date):
        raise InputError("workspace.errors.org_since_required")
    if not ORG_CODE.fullmatch(org.code):
        raise InputError("workspace.errors.bad_org_code", org=org.code)
    if not all(name.strip() for name in (org.name_fi, org.name_sv, org.name_en)):
        raise InputError("workspace.errors.org_names_required")
    if org.org_type not in load_codebook().org_types:
        raise InputError("orgs.unknown_type", org_type=org.org_type)
    if org.active_to is not None and org.active_to < org.active_from:
        raise InputError("workspace.errors.org_dates")


def add_organisation(settings: Settings, caller: Caller | None, org: organisations.Organisation) -> None:
    who = allowed(settings, caller, "org_add", STAFF, None, code=org.code)
    clean = organisations.Organisation(
        org.code.strip(),
        org.name_fi.strip(),
        org.name_sv.strip(),
        org.name_en.strip(),
        org.org_type,
        org.active_from,
        org.active_to,
    )
    _check_organisation(clean)
    with writer(settings, what="orgs add") as con:
        organisations.add(con, clean, who.username)


def deactivate_organisation(settings: Settings, caller: Caller | None, code: str, until: date) -> None:
    who = allowed(settings, caller, "org_deactivate", STAFF, None, code=code)
    if not isinstance(until, date):
        raise InputError("workspace.errors.org_until_required")
    with writer(settings, what="orgs deactivate") as con:
        rows = con.execute("SELECT active_from FROM organisation WHERE code = ?", [code]).fetchall()
        row = rows[0] if rows else None
        if row is not None and until < row[0]:
            raise InputError("workspace.errors.org_dates")
        organisations.deactivate(con, code, until, who.username)


def refresh_read_model(settings: Settings, caller: Caller | None) -> Path:
    """Export now (staff only), e.g. when the file is missing after a restore."""
    require(caller, *STAFF, action="staff_refresh")

    with writer(settings, what="staff read model") as con:
        return staff.export(con, settings)
