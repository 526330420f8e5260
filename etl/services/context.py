"""Staff edit the context of the figures: period notes, series breaks, official reference series.

The one door both the dashboard's Notes page and scripts use: each function checks the caller
(staff only; a refusal is an audit row), takes the writer and makes one audited change
(etl.warehouse.context). Changes reach readers with `publish`, a new data version.
"""

from __future__ import annotations

from dataclasses import replace

from etl.config import Settings
from etl.publish import versions
from etl.services.access import STAFF, Caller
from etl.services.workflow import allowed
from etl.warehouse import context
from etl.warehouse.context import Note, Series
from etl.warehouse.writer import writer

__all__ = ["Note", "Series", "delete_note", "publish", "save_note", "save_series", "set_values", "verify"]


def save_note(settings: Settings, caller: Caller | None, note: Note) -> str:
    """Add a note (an empty id: a new one is made from kind, period and measure) or change one; its id."""
    who = allowed(settings, caller, "note_save", STAFF, None, id=note.id)
    clean = Note(
        note.id.strip(),
        note.period,
        note.kind,
        note.measure or None,
        note.label_fi.strip(),
        note.label_sv.strip(),
        note.label_en.strip(),
    )
    with writer(settings, what="note save") as con:
        if not clean.id:
            clean = replace(clean, id=context.note_id(con, clean.kind, clean.period, clean.measure))
        context.save_note(con, clean, who.username)
    return clean.id


def delete_note(settings: Settings, caller: Caller | None, id: str) -> None:
    who = allowed(settings, caller, "note_delete", STAFF, None, id=id)
    with writer(settings, what="note delete") as con:
        context.delete_note(con, id, who.username)


def save_series(settings: Settings, caller: Caller | None, series: Series) -> None:
    """Add an official reference series or change what it says about itself (staff only)."""
    who = allowed(settings, caller, "reference_series", STAFF, None, series=series.series)
    clean = Series(*(str(value).strip() for value in vars(series).values()))
    with writer(settings, what="reference series") as con:
        context.save_series(con, clean, who.username)


def set_values(settings: Settings, caller: Caller | None, series: str, values: dict[str, int]) -> None:
    who = allowed(settings, caller, "reference_values", STAFF, None, series=series)
    with writer(settings, what="reference values") as con:
        context.set_values(con, series, values, who.username)


def verify(settings: Settings, caller: Caller | None, series: str) -> None:
    who = allowed(settings, caller, "reference_verify", STAFF, None, series=series)
    with writer(settings, what="reference verify") as con:
        context.verify(con, series, who.username)


def publish(settings: Settings, caller: Caller | None, note: str | None = None) -> int | None:
    """A new data version with the context as staff left it (the figures unchanged); None if nothing changed."""
    who = allowed(settings, caller, "publish_context", STAFF, None)
    with writer(settings, what="publish context") as con:
        return versions.publish_context(con, settings, who.username, note or None)
