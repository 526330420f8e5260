"""Pure helpers of the Situation report page: an edition's label, file names, a figure's kept parts."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, replace

import pandas as pd

from dashboard.view import PageContext
from etl.config import Settings
from etl.errors import NotFoundError
from etl.i18n import format_date, t
from etl.publish import reports, snapshots
from etl.publish.reports import Edition

MIME = {"pdf": "application/pdf", "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}


@dataclass(frozen=True)
class KeptFigure:
    title: str
    subtitle: str
    png: bytes
    alt: str
    table: pd.DataFrame
    notes: list[str]
    citation: str


def edition_key(edition: Edition) -> str:
    return f"{edition.period}/{edition.number}"


def edition_label(edition: Edition, lang: str) -> str:
    """ "2025 · edition 2 · data version 12 · 6.12.2026" in the reader's language."""
    when = format_date(edition.published_at, lang)
    return t("reports.edition_choice", lang, period=edition.period, edition=str(edition.number),
             version=str(edition.version), date=when)  # fmt: skip


def edition_context(ctx: PageContext, edition: Edition, settings: Settings) -> PageContext:
    """The page's context at the edition's data version (its footer names the version of its figures)."""
    try:
        return replace(ctx, snapshot=snapshots.get(settings, edition.version))
    except NotFoundError:  # a version no longer kept: the figures in the edition still are
        return ctx


def file_name(edition: Edition, lang: str, kind: str) -> str:
    return f"tilannekuva-report-{edition.period}-e{edition.number}-v{edition.version}-{lang}.{kind}"


def file_maker(edition: Edition, name: str) -> Callable[[], bytes]:
    """The download's bytes, read when the reader clicks (an edition never changes)."""
    return lambda: reports.file_bytes(edition, name)


def figure(edition: Edition, number: int, lang: str) -> KeptFigure:
    meta = json.loads(reports.file_bytes(edition, f"figures/{number}.{lang}.json"))
    return KeptFigure(
        title=str(meta["title"]),
        subtitle=str(meta["subtitle"]),
        png=reports.file_bytes(edition, f"figures/{number}.{lang}.png"),
        alt=str(meta["summary"]),
        table=pd.DataFrame(meta["rows"], columns=meta["columns"]),
        notes=list(meta["notes"]),
        citation=str(meta["citation"]),
    )
