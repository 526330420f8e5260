"""The situation report: staff write it per period, send it for review, and publish it like data.

A draft is a title and sections of text in fi/sv/en, each section with figures named by their
dashboard address (a permalink: page, view, figure id). It lives in the account store and
moves draft -> review -> published; a reviewer may send it back with a comment. Publishing
(dashboard.exports.report) fixes the data version, turns every figure into its image, table,
notes and citation, typesets PDF and DOCX, and keeps the edition (etl.publish.reports): an
earlier edition stays readable. Every step is one audit row.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from etl.config import Settings
from etl.errors import InputError, NotFoundError
from etl.i18n import LANGUAGES
from etl.periods import parse_period
from etl.services.access import STAFF, Caller, require
from etl.services.account_store import connect, flush, record, transaction, utcnow

MAX_TITLE = 200
MAX_TEXT = 20_000
MAX_SECTIONS = 20
MAX_FIGURES = 30
FIGURE_PARAM = "fig"  # the figure of a permalink (dashboard.exports.provenance.FIGURE_PARAM)


@dataclass(frozen=True)
class Section:
    heading: dict[str, str]  # language -> text
    text: dict[str, str]
    figures: tuple[str, ...] = ()  # dashboard addresses


@dataclass(frozen=True)
class Draft:
    period: str
    title: dict[str, str]
    sections: tuple[Section, ...]
    status: str = "draft"
    comment: str | None = None
    updated_by: str = ""
    updated_at: str = ""

    @property
    def figures(self) -> tuple[str, ...]:
        """Every figure's address, in report order (the numbering of the published report)."""
        return tuple(address for section in self.sections for address in section.figures)

    def content(self) -> dict[str, Any]:
        sections = [{"heading": s.heading, "text": s.text, "figures": list(s.figures)} for s in self.sections]
        return {"title": self.title, "sections": sections}


def from_content(period: str, content: dict[str, Any], **state: Any) -> Draft:
    sections = tuple(
        Section(dict(s["heading"]), dict(s["text"]), tuple(s.get("figures", ()))) for s in content["sections"]
    )
    return Draft(period, dict(content["title"]), sections, **state)


def _texts(texts: dict[str, str], where: str, limit: int, required: bool = True, **params: Any) -> dict[str, str]:
    """fi, sv and en texts, trimmed; `where` names the part in the error keys (title, heading, text)."""
    clean = {lang: str(texts.get(lang, "")).strip() for lang in LANGUAGES}
    for lang, text in clean.items():
        if required and not text:
            raise InputError(f"reports.errors.{where}_missing", language=lang, **params)
        if len(text) > limit:
            raise InputError(f"reports.errors.{where}_long", language=lang, limit=limit, **params)
    return clean


def check_address(address: str) -> str:
    """A figure's dashboard address: a page path and the figure's id (fig=...)."""
    parts = urlsplit(address.strip())
    params = dict(parse_qsl(parts.query))
    if not parts.path.strip("/") or not params.get(FIGURE_PARAM):
        raise InputError("reports.errors.address", address=address.strip()[:200])
    return address.strip()


def check(draft: Draft) -> Draft:
    """The draft as stored: every text in fi, sv and en, sane sizes, figures as dashboard addresses."""
    parsed = parse_period(draft.period)
    if parsed is None:
        raise InputError("reports.errors.period", period=draft.period)
    if not draft.sections or len(draft.sections) > MAX_SECTIONS:
        raise InputError("reports.errors.sections", limit=MAX_SECTIONS)
    if len(draft.figures) > MAX_FIGURES:
        raise InputError("reports.errors.figures", limit=MAX_FIGURES)
    title = _texts(draft.title, "title", MAX_TITLE)  # first: the order a writer reads the form in
    sections = tuple(
        Section(
            _texts(s.heading, "heading", MAX_TITLE, number=n),
            _texts(s.text, "text", MAX_TEXT, required=False, number=n),
            tuple(check_address(a) for a in s.figures),
        )
        for n, s in enumerate(draft.sections, start=1)
    )
    return Draft(parsed.code, title, sections)


def save(settings: Settings, caller: Caller | None, draft: Draft) -> Draft:
    """Save the period's draft (staff only); a report under review or published becomes a draft again."""
    who = require(caller, *STAFF, action="report_save")
    clean = check(draft)
    content = json.dumps(clean.content(), ensure_ascii=False, sort_keys=True)
    with connect(settings) as con, transaction(con):
        con.execute(
            "INSERT INTO situation_report (period, content, status, comment, updated_by, updated_at) "
            "VALUES (?, ?, 'draft', NULL, ?, ?) ON CONFLICT (period) DO UPDATE SET content = excluded.content, "
            "status = 'draft', comment = NULL, updated_by = excluded.updated_by, updated_at = excluded.updated_at",
            [clean.period, content, who.username, utcnow().isoformat()],
        )
        record(settings, who.username, "report_save", "ok", {"period": clean.period, "figures": len(clean.figures)})
    flush(settings)
    return get(settings, caller, clean.period)


def get(settings: Settings, caller: Caller | None, period: str) -> Draft:
    require(caller, *STAFF, action="report_read")
    with connect(settings) as con:
        row = con.execute(
            "SELECT content, status, comment, updated_by, updated_at FROM situation_report WHERE period = ?", [period]
        ).fetchone()
    if row is None:
        raise NotFoundError("reports.errors.no_draft", period=period)
    content, status, comment, by, at = row
    return from_content(period, json.loads(content), status=status, comment=comment, updated_by=by, updated_at=at)


def periods(settings: Settings, caller: Caller | None) -> list[str]:
    """Periods with a draft, newest first."""
    require(caller, *STAFF, action="report_read")
    with connect(settings) as con:
        rows = con.execute("SELECT period FROM situation_report").fetchall()
    return sorted((str(p) for (p,) in rows), key=lambda p: (p[:4], p), reverse=True)


def _move(settings: Settings, caller: Caller | None, period: str, action: str, allowed: tuple[str, ...], to: str,
          comment: str | None = None, **detail: Any) -> None:  # fmt: skip
    who = require(caller, *STAFF, action=action)
    with connect(settings) as con, transaction(con):
        row = con.execute("SELECT status FROM situation_report WHERE period = ?", [period]).fetchone()
        if row is None:
            raise NotFoundError("reports.errors.no_draft", period=period)
        if row[0] not in allowed:
            raise InputError(f"reports.errors.not_{action.removeprefix('report_')}", period=period)
        con.execute(
            "UPDATE situation_report SET status = ?, comment = ?, updated_by = ?, updated_at = ? WHERE period = ?",
            [to, comment, who.username, utcnow().isoformat(), period],
        )
        extra = {"comment": comment} if comment else {}
        record(settings, who.username, action, "ok", {"period": period, **extra, **detail})
    flush(settings)


def submit(settings: Settings, caller: Caller | None, period: str) -> None:
    """Send the draft for review: another staff member reads it and publishes it or sends it back."""
    _move(settings, caller, period, "report_submit", ("draft",), "review")


def send_back(settings: Settings, caller: Caller | None, period: str, comment: str) -> None:
    if not comment.strip():
        raise InputError("reports.errors.comment")
    _move(settings, caller, period, "report_return", ("review",), "draft", comment.strip()[:2000])


def mark_published(settings: Settings, caller: Caller | None, period: str, edition: int, version: int) -> None:
    """After its edition is kept (etl.publish.reports.keep): the draft is what readers see; one audit row."""
    _move(settings, caller, period, "report_publish", ("review",), "published", edition=edition, version=version)
