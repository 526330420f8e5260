"""Published editions of the situation report: files that never change once kept.

An edition is a folder `data/processed/reports/<period>/e<NNN>/` with `report.json` (the
text as published, the data version every figure comes from, when and by whom), the PDF and
DOCX of each language, and each figure's parts per language (`figures/<n>.<lang>.png` and
`.json`: title, table as shown, notes, citation). It is written beside and renamed into
place, so a reader sees a whole edition or none; a new publication is a new edition and the
earlier ones stay readable. What goes in was protected before it came here: the figures are
the dashboard's own exports of network figures (dashboard.exports.report).
"""

from __future__ import annotations

import json
import re
import shutil
import uuid
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from etl.config import Settings
from etl.durable import fsync_path, write_atomic
from etl.errors import NotFoundError

EDITION = re.compile(r"^e(\d{3,})$")
PERIOD = re.compile(r"^\d{4}(H[12])?$")
META = "report.json"
_FILE = re.compile(r"^(report\.(fi|sv|en)\.(pdf|docx)|figures/\d{1,3}\.(fi|sv|en)\.(png|json))$")


@dataclass(frozen=True)
class Edition:
    period: str
    number: int
    version: int  # the data version of its figures
    published_at: datetime
    published_by: str
    content: dict[str, Any]  # title and sections as published (etl.services.reports.Draft.content)
    folder: Path


def _period_dir(settings: Settings, period: str) -> Path:
    if not PERIOD.match(period):
        raise NotFoundError("reports.errors.no_edition", period=period, edition="-")
    return settings.reports_dir / period


def keep(
    settings: Settings, period: str, content: dict[str, Any], version: int, by: str, files: dict[str, bytes]
) -> Edition:
    """Keep a new edition of the period's report; returns it (numbered after the last one)."""
    bad = sorted(name for name in files if not _FILE.match(name))
    if bad:
        raise ValueError(f"not a file of a report edition: {', '.join(bad)}")
    folder = _period_dir(settings, period)
    folder.mkdir(parents=True, exist_ok=True)
    staging = folder / f".building-{uuid.uuid4().hex[:8]}"
    (staging / "figures").mkdir(parents=True)
    try:
        meta = {"period": period, "version": version, "published_at": datetime.now().isoformat(timespec="seconds"),
                "published_by": by, "content": content}  # fmt: skip
        for name, data in files.items():
            write_atomic(staging / name, data)
        write_atomic(staging / META, json.dumps(meta, ensure_ascii=False, indent=1).encode("utf-8"))
        kept = editions(settings, period)
        number = (kept[0].number if kept else 0) + 1
        final = folder / f"e{number:03d}"
        staging.rename(final)  # fails if a second publisher took the number: nothing half-kept
        fsync_path(folder)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return read(settings, period, number)


def read(settings: Settings, period: str, number: int) -> Edition:
    folder = _period_dir(settings, period) / f"e{number:03d}"
    if not (folder / META).is_file():
        raise NotFoundError("reports.errors.no_edition", period=period, edition=str(number))
    meta = json.loads((folder / META).read_text(encoding="utf-8"))
    return Edition(period, number, int(meta["version"]), datetime.fromisoformat(meta["published_at"]),
                   str(meta["published_by"]), dict(meta["content"]), folder)  # fmt: skip


def editions(settings: Settings, period: str | None = None) -> list[Edition]:
    """Kept editions, newest period and edition first (of one period, or of all)."""
    if not settings.reports_dir.is_dir():
        return []
    found = []
    for period_dir in settings.reports_dir.iterdir():
        if not PERIOD.match(period_dir.name) or (period is not None and period_dir.name != period):
            continue
        for child in period_dir.iterdir():
            match = EDITION.match(child.name)
            if match and (child / META).is_file():
                found.append(read(settings, period_dir.name, int(match.group(1))))
    return sorted(found, key=lambda e: (e.period[:4], e.period, e.number), reverse=True)


def file_bytes(edition: Edition, name: str) -> bytes:
    if not _FILE.match(name) or not (edition.folder / name).is_file():
        raise NotFoundError("reports.errors.no_edition", period=edition.period, edition=str(edition.number))
    return (edition.folder / name).read_bytes()
