"""The one writer of the warehouse: a lock, the schema and the codebook tables.

Everything that changes data/processed/warehouse.duckdb goes through `writer()`.
A second writer gets BusyError ("busy, try again") before it has changed anything.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from functools import cache
from pathlib import Path

import duckdb
import pandas as pd

from etl.codebook import CODEBOOK_DIR, TOTAL, Codebook, load_codebook
from etl.config import Settings, get_settings
from etl.errors import BusyError
from etl.periods import all_periods
from etl.publish import snapshots
from etl.sqlfiles import transaction
from etl.warehouse import audit, staff

SCHEMA_PATH = Path(__file__).parent.parent / "schema.sql"
TOTAL_LABELS = ("Yhteensä", "Totalt", "Total")
KEYED_FACTS = "fact_before_load_checked_keys"  # only while an old warehouse is upgraded
BUSY_WAIT_S = 2.0  # an audit flush holds the lock ~0.15 s; a real write holds it for seconds


@contextmanager
def writer_lock(settings: Settings, what: str, wait: float = BUSY_WAIT_S) -> Iterator[None]:
    """Hold the single-writer lock, or raise BusyError naming who holds it.

    Waits up to `wait` seconds first: a sign-in's audit flush holds the lock for a
    moment, and a load started just then should not be told "busy" for it.
    """
    settings.processed_dir.mkdir(parents=True, exist_ok=True)
    fd = os.open(settings.lock_path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        if not _lock_within(fd, wait):
            holder = Path(settings.lock_path).read_text(encoding="utf-8", errors="replace")
            raise BusyError(holder=_describe_holder(holder))
        os.ftruncate(fd, 0)
        stamp = {
            "pid": os.getpid(),
            "what": what,
            "since": datetime.now().isoformat("T", "seconds"),
        }
        os.pwrite(fd, json.dumps(stamp).encode(), 0)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock


def _lock_within(fd: int, wait: float) -> bool:
    deadline = time.monotonic() + wait
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.05)


def _describe_holder(text: str) -> str:
    try:
        stamp = json.loads(text)
        return f"{stamp['what']} (pid {stamp['pid']}, {stamp['since']})"
    except (ValueError, KeyError, TypeError):
        return "?"


def connect_rw(path: Path) -> duckdb.DuckDBPyConnection:
    try:
        return duckdb.connect(str(path))
    except duckdb.IOException as exc:
        if "lock" in str(exc).lower():  # another process holds the file (not through us)
            raise BusyError(holder="?") from exc
        raise


@contextmanager
def writer(
    settings: Settings | None = None, what: str = "etl", wait: float = BUSY_WAIT_S
) -> Iterator[duckdb.DuckDBPyConnection]:
    """The warehouse, open for writing by this process alone.

    A session that changed something (its last audit id moved: every change writes
    an audit row, spooled rows imported here included) ends by exporting the staff
    read model (etl/warehouse/staff.py), so the coordinator's pages never need this lock to read.
    """
    settings = settings or get_settings()
    with writer_lock(settings, what, wait):
        con = connect_rw(settings.warehouse_path)
        try:
            ensure_schema(con)
            before = staff.last_audit_id(con)
            audit.import_spool(con, settings)
            snapshots.repair(con, settings)
            # DuckDB 2 refuses `register` (and `con.sql`) while a result is not fetched to its end, and a
            # `fetchone()` above leaves one open: a new statement fetched whole closes it.
            con.execute("SELECT 1").fetchall()
            yield con
            staff.refresh_after_write(con, settings, before)
        finally:
            con.close()


def flush_audit(settings: Settings) -> int:
    """Move spooled rows into the log now if no write is under way; returns how many moved.

    Sign-in and account events are spooled first (the dashboard never waits for the
    writer lock) and flushed right after, when the lock is free. When it is taken,
    nothing waits: the writer that holds it, or the next one, imports the spool.
    """
    if not audit.pending(settings):
        return 0
    before = len(audit.pending(settings))
    try:
        with writer(settings, what="audit flush", wait=0):  # the person signing in never waits
            pass  # opening the writer imports the spool
    except BusyError:
        return 0
    return before - len(audit.pending(settings))


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create the tables if missing and bring the codebook tables up to date."""
    fingerprint = _codebook_fingerprint()
    exists = con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE database_name = current_database() AND table_name = 'schema_info'"
    ).fetchone()
    if exists and exists[0]:
        row = con.execute("SELECT value FROM schema_info WHERE key = 'codebook'").fetchone()
        if row and row[0] == fingerprint:
            return
    with transaction(con):  # all of it or nothing: a kill during an upgrade leaves the old warehouse
        keyed = _set_aside_keyed_facts(con)
        con.execute(SCHEMA_PATH.read_text(encoding="utf-8"))
        if keyed:
            con.execute(f"INSERT INTO fact SELECT * FROM {KEYED_FACTS}")
            con.execute(f"DROP TABLE {KEYED_FACTS}")
        _sync_codebook(con)
        con.execute(
            "INSERT INTO schema_info VALUES ('codebook', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [fingerprint],
        )


def _set_aside_keyed_facts(con: duckdb.DuckDBPyConnection) -> bool:
    """A warehouse made when the fact table had a primary key and foreign keys (checked per load since):
    its rows move to a table of their own while the schema makes `fact` anew. True when they moved."""
    row = con.execute(
        "SELECT count(*) FROM duckdb_constraints() WHERE database_name = current_database() "
        "AND table_name = 'fact' AND constraint_type IN ('PRIMARY KEY', 'FOREIGN KEY')"
    ).fetchone()
    if not (row and row[0]):
        return False
    con.execute(f"CREATE TABLE {KEYED_FACTS} AS SELECT * FROM fact")
    con.execute("DROP TABLE fact")
    return True


@cache
def _codebook_fingerprint() -> str:
    digest = hashlib.sha256(SCHEMA_PATH.read_bytes())
    for path in sorted(CODEBOOK_DIR.glob("*.csv")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _upsert(con: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame, keys: list[str]) -> None:
    """Insert new codebook rows and refresh labels of existing ones (never delete: facts refer to them)."""
    columns = list(frame.columns)
    updates = ", ".join(f"{c} = excluded.{c}" for c in columns if c not in keys)
    conflict = f"ON CONFLICT ({', '.join(keys)}) DO " + (f"UPDATE SET {updates}" if updates else "NOTHING")
    con.register("codebook_rows", frame)
    try:
        con.execute(
            f"INSERT INTO {table} ({', '.join(columns)}) SELECT {', '.join(columns)} FROM codebook_rows {conflict}"
        )
    finally:
        con.unregister("codebook_rows")


def _sync_codebook(con: duckdb.DuckDBPyConnection) -> None:
    book = load_codebook()
    fi, sv, en = TOTAL_LABELS
    dims = [(TOTAL, fi, sv, en, 0)] + [
        (d.code, d.label.fi, d.label.sv, d.label.en, d.sort) for d in book.dimensions.values()
    ]
    _upsert(
        con,
        "dimension",
        pd.DataFrame(dims, columns=["code", "label_fi", "label_sv", "label_en", "sort"]),
        ["code"],
    )
    codes = [(TOTAL, TOTAL, fi, sv, en, "", "", "", 0)] + [
        (
            c.dimension,
            c.code,
            c.label.fi,
            c.label.sv,
            c.label.en,
            c.eurostat,
            c.htcds,
            c.parent,
            c.sort,
        )
        for c in book.all_codes()
    ]
    code_columns = [
        "dimension",
        "code",
        "label_fi",
        "label_sv",
        "label_en",
        "eurostat",
        "htcds",
        "parent",
        "sort",
    ]
    _upsert(con, "code", pd.DataFrame(codes, columns=code_columns), ["dimension", "code"])
    measures = [
        (m.code, m.label.fi, m.label.sv, m.label.en, m.nature, m.unit, m.multi_response, m.sort)
        for m in book.measures.values()
    ]
    measure_columns = [
        "code",
        "label_fi",
        "label_sv",
        "label_en",
        "nature",
        "unit",
        "multi_response",
        "sort",
    ]
    _upsert(con, "measure", pd.DataFrame(measures, columns=measure_columns), ["code"])
    breakdowns = [(m, d1, d2) for m, pairs in book.breakdowns.items() for d1, d2 in pairs]
    _upsert(
        con,
        "breakdown",
        pd.DataFrame(breakdowns, columns=["measure", "dim1", "dim2"]),
        ["measure", "dim1", "dim2"],
    )
    periods = [(p.code, p.year, p.kind, p.start, p.end) for p in all_periods()]
    _upsert(
        con,
        "period",
        pd.DataFrame(periods, columns=["code", "year", "kind", "start_date", "end_date"]),
        ["code"],
    )
    types = [(code, lab.fi, lab.sv, lab.en) for code, lab in book.org_types.items()]
    _upsert(
        con,
        "org_type",
        pd.DataFrame(types, columns=["code", "label_fi", "label_sv", "label_en"]),
        ["code"],
    )
    seeded = con.execute("SELECT count(*) FROM schema_info WHERE key = 'context_seeded'").fetchall()[0][0]
    if not seeded:  # staff edit the context from then on (etl/warehouse/context.py): never overwrite it
        _seed_context(con, book)
        con.execute("INSERT INTO schema_info VALUES ('context_seeded', 'codebook')")


def _seed_context(con: duckdb.DuckDBPyConnection, book: Codebook) -> None:
    """The first period notes and reference series, from the codebook; rows already there are kept."""
    notes = [(n.id, n.period, n.kind, n.measure or None, n.label.fi, n.label.sv, n.label.en) for n in book.period_notes]
    note_columns = ["id", "period", "kind", "measure", "label_fi", "label_sv", "label_en"]
    _insert_new(con, "period_note", pd.DataFrame(notes, columns=note_columns))
    series = pd.read_csv(CODEBOOK_DIR / "reference_series.csv", dtype=str, keep_default_na=False)
    series["verified"] = series["verified"] == "true"
    _insert_new(con, "reference_series", series)
    values = pd.read_csv(
        CODEBOOK_DIR / "reference_values.csv",
        dtype={"series": str, "period": str, "value": "int64"},
    )
    _insert_new(con, "reference_value", values)


def _insert_new(con: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame) -> None:
    columns = ", ".join(frame.columns)
    con.register("seed_rows", frame)
    try:
        con.execute(f"INSERT INTO {table} ({columns}) SELECT {columns} FROM seed_rows ON CONFLICT DO NOTHING")
    finally:
        con.unregister("seed_rows")
