"""Published figure links: a figure exported or cited once can be opened by anyone at /f/<code>.

What is kept is exactly what the export already made public: the figure's PNG, SVG and
CSV bytes as the export made them, and the text around them (title, table, notes,
citation, data version) in one language, under `data/processed/public-figures/<code>/<lang>/`.
A figure is kept once per code and language (the code names the chart, its view and the
data version: dashboard.exports.provenance.figure_code), so its address always shows the
same bytes; each figure made public is one audit row. Only network figures that passed
the disclosure gate reach this module (the export menu is under network charts only).

The coordinator switches the links off on the Users page (etl.services.site_settings; the
default is TILANNEKUVA_PUBLIC_FIGURE_LINKS): nothing more is kept and /f/ answers
"switched off"; turned on again, what was kept opens again.
"""

from __future__ import annotations

import json
import logging
import re
import shutil
import uuid
from pathlib import Path
from typing import Any

from etl.config import Settings
from etl.durable import write_atomic
from etl.services import site_settings
from etl.warehouse import audit
from etl.warehouse.writer import flush_audit

CODE = re.compile(r"^TK-\d{1,9}-[0-9a-f]{6}$")
FILES = ("figure.png", "figure.svg", "table.csv")
META = "figure.json"
LANGS = ("fi", "sv", "en")
log = logging.getLogger(__name__)


def _place(settings: Settings, code: str, lang: str) -> Path | None:
    """The folder of a code in a language; None for anything that is not a figure code (no path tricks)."""
    if not CODE.match(code) or lang not in LANGS:
        return None
    return settings.public_figures_dir / code / lang


def enabled(settings: Settings) -> bool:
    return site_settings.public_figure_links(settings)


def is_public(settings: Settings, code: str, lang: str) -> bool:
    place = _place(settings, code, lang)
    return place is not None and (place / META).is_file()


def publish(
    settings: Settings, actor: str, code: str, lang: str, files: dict[str, bytes], meta: dict[str, Any]
) -> bool:
    """Keep a figure for its public address; False when it was kept already (or links are off).

    The folder appears whole or not at all: written beside, then renamed into place.
    """
    place = _place(settings, code, lang)
    if place is None or (place / META).is_file() or not enabled(settings):
        return False
    if set(files) != set(FILES):
        raise ValueError(f"a public figure is {', '.join(FILES)}, not {', '.join(sorted(files))}")
    staging = place.parent / f".{lang}.{uuid.uuid4().hex[:8]}.tmp"
    staging.mkdir(parents=True, exist_ok=True)
    try:
        for name, data in files.items():
            write_atomic(staging / name, data)
        write_atomic(staging / META, json.dumps(meta, ensure_ascii=False, indent=1).encode("utf-8"))
        try:
            staging.rename(place)
        except OSError:  # another process kept it first: the same figure, the same bytes
            return False
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    detail = {"code": code, "lang": lang, "figure": meta.get("figure_id"), "version": meta.get("version")}
    audit.spool(settings, actor, "figure_public", "ok", detail)
    try:
        flush_audit(settings)
    except Exception:  # the row is safe in the spool; the next writer imports it
        log.exception("could not flush the audit spool")
    return True


def read_meta(settings: Settings, code: str, lang: str) -> dict[str, Any] | None:
    place = _place(settings, code, lang)
    if place is None or not (place / META).is_file():
        return None
    return dict(json.loads((place / META).read_text(encoding="utf-8")))


def read_file(settings: Settings, code: str, lang: str, name: str) -> bytes | None:
    place = _place(settings, code, lang)
    if place is None or name not in FILES or not (place / name).is_file():
        return None
    return (place / name).read_bytes()


def languages(settings: Settings, code: str) -> list[str]:
    """The languages a code was made public in, in the order of LANGS."""
    return [lang for lang in LANGS if is_public(settings, code, lang)]
