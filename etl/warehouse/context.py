"""Context staff keep beside the figures: period notes, series breaks, official reference series.

The codebook's CSVs give only the first values (seeded once by etl.warehouse.writer); from
then on staff edit them here. Each change is one transaction with its audit row, whose detail
is everything a rebuild needs to make the change again (etl.ops.rebuild). Readers see a change
with the next data version (`etl.publish.versions.publish_context`, or any publication): every
snapshot copies the context as it stood, so each data version keeps the notes it was published with.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

import duckdb

from etl.errors import InputError, NotFoundError
from etl.sqlfiles import transaction
from etl.warehouse import audit

KINDS = ("break", "note")
LANGS = ("fi", "sv", "en")
MAX_TEXT = 600
CONTEXT_TABLES = ("period_note", "reference_series", "reference_value")
_NOTE_ID = re.compile(r"[a-z0-9][a-z0-9-]{0,59}")
_SERIES_CODE = re.compile(r"[A-Z][A-Z0-9_]{1,39}")


@dataclass(frozen=True)
class Note:
    """A series break or a dated note on a period, for one measure or (measure None) for all."""

    id: str
    period: str
    kind: str
    measure: str | None
    label_fi: str
    label_sv: str
    label_en: str


@dataclass(frozen=True)
class Series:
    """An official reference series: what it counts, where it comes from, why it is not the network's figure."""

    series: str
    label_fi: str
    label_sv: str
    label_en: str
    source_fi: str
    source_sv: str
    source_en: str
    source_url: str
    not_comparable_fi: str
    not_comparable_sv: str
    not_comparable_en: str


def note_id(con: duckdb.DuckDBPyConnection, kind: str, period: str, measure: str | None) -> str:
    """A free id for a new note: kind, period and measure, numbered when taken."""
    base = "-".join([kind, period, measure or "all"]).lower().replace("_", "-")
    taken = {str(r[0]) for r in con.execute("SELECT id FROM period_note WHERE id LIKE ?", [base + "%"]).fetchall()}
    number = 1
    candidate = base
    while candidate in taken:
        number += 1
        candidate = f"{base}-{number}"
    return candidate


def _texts(values: dict[str, str], what: str) -> None:
    for key, text in values.items():
        if not text.strip():
            raise InputError("staff_notes.errors.text_missing", what=what, language=key.rsplit("_", 1)[1])
        if len(text) > MAX_TEXT:
            raise InputError("staff_notes.errors.text_long", what=what, language=key.rsplit("_", 1)[1], limit=MAX_TEXT)


def _known(con: duckdb.DuckDBPyConnection, table: str, code: str) -> bool:
    return bool(con.execute(f"SELECT count(*) FROM {table} WHERE code = ?", [code]).fetchall()[0][0])


def check_note(con: duckdb.DuckDBPyConnection, note: Note) -> None:
    """Refuse a note that names an unknown period or measure, or lacks a language."""
    if not _NOTE_ID.fullmatch(note.id):
        raise InputError("staff_notes.errors.note_id", id=note.id)
    if note.kind not in KINDS:
        raise InputError("staff_notes.errors.kind", kind=note.kind)
    if not _known(con, "period", note.period):
        raise InputError("staff_notes.errors.period", period=note.period)
    if note.measure is not None and not _known(con, "measure", note.measure):
        raise InputError("staff_notes.errors.measure", measure=note.measure)
    _texts({f"label_{lang}": getattr(note, f"label_{lang}") for lang in LANGS}, note.id)


def save_note(con: duckdb.DuckDBPyConnection, note: Note, actor: str, recorded: audit.Recorded | None = None) -> None:
    """Add a note or replace the one with its id."""
    check_note(con, note)
    with transaction(con):
        con.execute(
            "INSERT OR REPLACE INTO period_note VALUES (?, ?, ?, ?, ?, ?, ?)",
            [note.id, note.period, note.kind, note.measure, note.label_fi, note.label_sv, note.label_en],
        )
        _log(con, actor, "note_save", asdict(note), recorded)


def delete_note(con: duckdb.DuckDBPyConnection, id: str, actor: str, recorded: audit.Recorded | None = None) -> None:
    with transaction(con):
        if not con.execute("SELECT count(*) FROM period_note WHERE id = ?", [id]).fetchall()[0][0]:
            raise NotFoundError("staff_notes.errors.no_note", id=id)
        con.execute("DELETE FROM period_note WHERE id = ?", [id])
        _log(con, actor, "note_delete", {"id": id}, recorded)


def save_series(
    con: duckdb.DuckDBPyConnection, series: Series, actor: str, recorded: audit.Recorded | None = None
) -> None:
    """Add a series or change one; it is unverified until someone checks it against its source."""
    if not _SERIES_CODE.fullmatch(series.series):
        raise InputError("staff_notes.errors.series_code", series=series.series)
    texts = {k: v for k, v in asdict(series).items() if k != "series"}
    _texts(texts, series.series)
    if not re.fullmatch(r"https?://\S+", series.source_url.strip()):
        raise InputError("staff_notes.errors.url", url=series.source_url)
    columns = list(texts)
    exists = con.execute("SELECT count(*) FROM reference_series WHERE series = ?", [series.series]).fetchall()[0][0]
    with transaction(con):
        if exists:
            assignments = ", ".join(f"{c} = ?" for c in columns)
            con.execute(f"UPDATE reference_series SET {assignments} WHERE series = ?", [*texts.values(), series.series])
            _unverify(con, series.series)
        else:
            names = ", ".join(["series", *columns, "verified"])
            marks = ", ".join(["?"] * (len(columns) + 2))
            con.execute(
                f"INSERT INTO reference_series ({names}) VALUES ({marks})", [series.series, *texts.values(), False]
            )
        _log(con, actor, "reference_series", asdict(series), recorded)


def set_values(
    con: duckdb.DuckDBPyConnection,
    series: str,
    values: dict[str, int],
    actor: str,
    recorded: audit.Recorded | None = None,
) -> None:
    """Replace a series' yearly values (period code -> persons); it is unverified again."""
    _series_exists(con, series)
    for period, value in values.items():
        if not _known(con, "period", period) or "H" in period:
            raise InputError("staff_notes.errors.year", period=period)
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise InputError("staff_notes.errors.value", period=period, value=str(value))
    with transaction(con):
        con.execute("DELETE FROM reference_value WHERE series = ?", [series])
        for period, value in sorted(values.items()):
            con.execute("INSERT INTO reference_value VALUES (?, ?, ?)", [series, period, value])
        _unverify(con, series)
        _log(con, actor, "reference_values", {"series": series, "values": dict(sorted(values.items()))}, recorded)


def verify(con: duckdb.DuckDBPyConnection, series: str, actor: str, recorded: audit.Recorded | None = None) -> None:
    """Mark a series checked against its source, by `actor`, today."""
    _series_exists(con, series)
    now = recorded.logged_at if recorded else datetime.now()
    with transaction(con):
        con.execute(
            "UPDATE reference_series SET verified = true, verified_by = ?, verified_on = ? WHERE series = ?",
            [actor, now.date(), series],
        )
        _log(con, actor, "reference_verify", {"series": series}, recorded, now)


def replay(con: duckdb.DuckDBPyConnection, row: audit.Recorded) -> bool:
    """Make a logged context change again (etl.ops.rebuild); False if the row is not one."""
    detail = row.detail
    if row.outcome != "ok":
        return False
    if row.action == "note_save":
        save_note(con, Note(**detail), row.actor, recorded=row)
    elif row.action == "note_delete":
        delete_note(con, detail["id"], row.actor, recorded=row)
    elif row.action == "reference_series":
        save_series(con, Series(**detail), row.actor, recorded=row)
    elif row.action == "reference_values":
        set_values(con, detail["series"], {k: int(v) for k, v in detail["values"].items()}, row.actor, recorded=row)
    elif row.action == "reference_verify":
        verify(con, detail["series"], row.actor, recorded=row)
    else:
        return False
    return True


def changes(con: duckdb.DuckDBPyConnection, published: str) -> dict[str, int]:
    """Rows of each context table that differ from the snapshot attached as `published` (tables with none left out)."""
    found = {}
    for table in CONTEXT_TABLES:
        columns = ", ".join(_columns(con, table))
        mine, theirs = f"SELECT {columns} FROM {table}", f"SELECT {columns} FROM {published}.{table}"
        row = con.execute(f"SELECT count(*) FROM (({mine} EXCEPT {theirs}) UNION ALL ({theirs} EXCEPT {mine}))")
        count = int(row.fetchall()[0][0])
        if count:
            found[table] = count
    return found


def _columns(con: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    """A table's columns that every snapshot has (older snapshots lack the verification columns)."""
    rows = con.execute(
        "SELECT column_name FROM duckdb_columns() WHERE database_name = current_database() AND table_name = ? "
        "ORDER BY column_index",
        [table],
    ).fetchall()
    return [str(r[0]) for r in rows if r[0] not in ("verified_by", "verified_on")]


def _series_exists(con: duckdb.DuckDBPyConnection, series: str) -> None:
    if not con.execute("SELECT count(*) FROM reference_series WHERE series = ?", [series]).fetchall()[0][0]:
        raise NotFoundError("staff_notes.errors.no_series", series=series)


def _unverify(con: duckdb.DuckDBPyConnection, series: str) -> None:
    con.execute(
        "UPDATE reference_series SET verified = false, verified_by = NULL, verified_on = NULL WHERE series = ?",
        [series],
    )


def _log(
    con: duckdb.DuckDBPyConnection,
    actor: str,
    action: str,
    detail: dict[str, Any],
    recorded: audit.Recorded | None,
    at: datetime | None = None,
) -> None:
    if recorded is not None:
        audit.append_recorded(con, recorded)
    else:
        audit.append(con, actor, action, "ok", detail, logged_at=at)
