"""The warehouse refuses what the contract forbids: the database by its constraints, the fact
table's keys by the one check every load makes before its insert."""

from datetime import datetime

import duckdb
import pandas as pd
import pytest

from etl.intake.validate import CANONICAL
from etl.sqlfiles import transaction
from etl.warehouse import audit
from etl.warehouse.submissions import FactKeyError, insert_submissions
from etl.warehouse.writer import KEYED_FACTS, writer
from tests.helpers import add_org


@pytest.fixture
def con(settings):
    with writer(settings, what="test") as connection:
        _prepare(connection)
        yield connection


def _prepare(connection):
    """An organisation, a file and a draft submission (id 1) that cells can point at."""
    add_org(connection)
    connection.execute("INSERT INTO raw_file VALUES (?, 'x.csv', 'csv', 1, ?)", ["a" * 64, datetime.now()])
    connection.execute(
        "INSERT INTO submission (org_code, period, version, status, file_sha256, loaded_by, loaded_at, row_count) "
        "VALUES ('testi', '2024', 1, 'draft', ?, 'test', ?, 1)",
        ["a" * 64, datetime.now()],
    )


def _fact(con, measure="PERS_NEW", dim1="_T", code1="_T", dim2="_T", code2="_T", value=1):
    con.execute(
        "INSERT INTO fact (submission_id, measure, dim1, code1, dim2, code2, value) VALUES (1, ?, ?, ?, ?, ?, ?)",
        [measure, dim1, code1, dim2, code2, value],
    )


def test_a_valid_cell_and_a_not_collected_cell_are_accepted(con):
    _fact(con, value=12)
    _fact(con, dim1="exploitation_form", code1="LAB", value=None)
    assert con.execute("SELECT count(*) FROM fact").fetchone()[0] == 2


def test_negative_value_is_refused(con):
    with pytest.raises(duckdb.ConstraintException, match="CHECK"):
        _fact(con, value=-1)


def _load(con, *cells):
    """New draft versions of testi's 2024 with these (measure, dim1, code1, dim2, code2) cells, as a load writes them."""
    frame = pd.DataFrame([("testi", "2024", *cell, 1, None) for cell in cells], columns=CANONICAL)
    with transaction(con):
        insert_submissions(con, frame, [("testi", "2024")], "a" * 64, "test", datetime.now())


def test_a_load_writes_cells_that_keep_the_keys(con):
    _load(con, ("PERS_NEW", "_T", "_T", "_T", "_T"), ("PERS_NEW", "exploitation_form", "LAB", "_T", "_T"))
    assert con.execute("SELECT count(*) FROM fact WHERE submission_id <> 1").fetchone()[0] == 2


@pytest.mark.parametrize(
    "cell, broken",
    [
        (("PERS_NEW", "exploitation_form", "NOPE", "_T", "_T"), "code1"),  # an unknown code
        (("PERS_NEW", "sex", "LAB", "_T", "_T"), "code1"),  # a code of another dimension
        (("PERS_NEW", "sex", "F", "exploitation_form", "NOPE"), "code2"),
        (("PERS_ACTIVE", "citizenship", "RO", "_T", "_T"), "breakdown"),  # outside the contract
        (("NO_SUCH_MEASURE", "_T", "_T", "_T", "_T"), "breakdown"),
    ],
)
def test_a_cell_outside_the_codebook_stops_the_load_and_nothing_is_written(con, cell, broken):
    before = con.execute("SELECT (SELECT count(*) FROM submission), (SELECT count(*) FROM fact)").fetchone()
    with pytest.raises(FactKeyError, match=f"{broken}: testi, 2024, {cell[0]}"):
        _load(con, ("PERS_NEW", "_T", "_T", "_T", "_T"), cell)
    assert con.execute("SELECT (SELECT count(*) FROM submission), (SELECT count(*) FROM fact)").fetchone() == before


def test_a_cell_twice_in_one_load_stops_it(con):
    with pytest.raises(FactKeyError, match="duplicate: testi, 2024, PERS_NEW, _T"):
        _load(con, ("PERS_NEW", "_T", "_T", "_T", "_T"), ("PERS_NEW", "_T", "_T", "_T", "_T"))
    assert con.execute("SELECT count(*) FROM fact").fetchone()[0] == 0


def test_a_fact_that_breaks_a_rule_of_its_own_row_is_refused_by_the_database(con):
    with pytest.raises(duckdb.ConstraintException, match="CHECK"):
        _fact(con, dim1="exploitation_form", code1="_T")  # a dimension without its code


def test_unknown_period_and_status_are_refused(con):
    with pytest.raises(duckdb.ConstraintException):
        con.execute(
            "INSERT INTO submission (org_code, period, version, status, file_sha256, loaded_by, loaded_at, row_count) "
            "VALUES ('testi', '2024H3', 1, 'draft', ?, 'test', now(), 1)",
            ["a" * 64],
        )
    with pytest.raises(duckdb.ConstraintException):
        con.execute(
            "INSERT INTO submission (org_code, period, version, status, file_sha256, loaded_by, loaded_at, row_count) "
            "VALUES ('testi', '2024H1', 1, 'maybe', ?, 'test', now(), 1)",
            ["a" * 64],
        )


def test_submission_status_can_change(con):
    _fact(con)
    con.execute("UPDATE submission SET status = 'published', published_version = 1 WHERE id = 1")
    assert con.execute("SELECT status FROM submission").fetchone()[0] == "published"


def test_audit_log_refuses_update_and_delete(con):
    audit.append(con, "tester", "load", "ok", {"file_name": "a.csv"})
    last = con.execute("SELECT max(id) FROM audit_log").fetchone()[0]
    with pytest.raises(duckdb.ConstraintException):
        con.execute("UPDATE audit_log SET outcome = 'rejected' WHERE id = ?", [last])
    with pytest.raises(duckdb.ConstraintException):
        con.execute("UPDATE audit_log SET detail = '{}' WHERE id = ?", [last])
    with pytest.raises(duckdb.ConstraintException):
        con.execute("DELETE FROM audit_log WHERE id = ?", [last])
    with pytest.raises(duckdb.ConstraintException):  # a forged row must carry a valid hash
        con.execute("INSERT INTO audit_log VALUES (999, now(), 'x', 'load', 'ok', '{}', '', 'forged')")
    assert con.execute("SELECT outcome FROM audit_log WHERE id = ?", [last]).fetchone()[0] == "ok"


def test_audit_chain_verifies(con):
    for n in range(3):
        audit.append(con, "tester", "load", "ok", {"n": n})
    assert audit.verify(con) == []


KEYED_FACT_TABLE = """
CREATE TABLE fact (
    submission_id BIGINT NOT NULL REFERENCES submission (id),
    measure       TEXT NOT NULL REFERENCES measure (code),
    dim1 TEXT NOT NULL DEFAULT '_T', code1 TEXT NOT NULL DEFAULT '_T',
    dim2 TEXT NOT NULL DEFAULT '_T', code2 TEXT NOT NULL DEFAULT '_T',
    value BIGINT CHECK (value >= 0), flag TEXT CHECK (flag IN ('P', 'E', 'R')),
    PRIMARY KEY (submission_id, measure, dim1, code1, dim2, code2),
    FOREIGN KEY (dim1, code1) REFERENCES code (dimension, code),
    FOREIGN KEY (dim2, code2) REFERENCES code (dimension, code),
    FOREIGN KEY (measure, dim1, dim2) REFERENCES breakdown (measure, dim1, dim2)
)"""


def _row_keys(con) -> list[str]:
    rows = con.execute(
        "SELECT constraint_type FROM duckdb_constraints() WHERE database_name = current_database() "
        "AND table_name = 'fact' AND constraint_type IN ('PRIMARY KEY', 'FOREIGN KEY')"
    ).fetchall()
    return sorted(kind for (kind,) in rows)


def test_a_warehouse_made_when_facts_had_keys_keeps_every_row_and_checks_its_keys_per_load(settings):
    with writer(settings, what="test") as con:
        _prepare(con)
        _load(con, ("PERS_NEW", "_T", "_T", "_T", "_T"), ("PERS_NEW", "sex", "F", "_T", "_T"))
        rows = con.execute("SELECT * FROM fact ORDER BY ALL").fetchall()
        with transaction(con):  # the fact table as a warehouse of 2026-12-06 has it
            con.execute("CREATE TEMP TABLE kept AS SELECT * FROM fact")
            con.execute("DROP TABLE fact")
            con.execute(KEYED_FACT_TABLE)
            con.execute("INSERT INTO fact SELECT * FROM kept")
            con.execute("UPDATE schema_info SET value = 'made with the keys' WHERE key = 'codebook'")
        assert _row_keys(con) == ["FOREIGN KEY"] * 5 + ["PRIMARY KEY"]

    with writer(settings, what="test") as upgraded:
        assert _row_keys(upgraded) == []
        assert upgraded.execute("SELECT * FROM fact ORDER BY ALL").fetchall() == rows
        tables = upgraded.execute("SELECT table_name FROM duckdb_tables() WHERE table_name = ?", [KEYED_FACTS])
        assert tables.fetchall() == []


def test_the_writer_hands_over_a_connection_ready_for_any_call(settings):
    """DuckDB 2 lets no `register` (nor `con.sql`) past a result not fetched to its end, a `fetchone()`'s too."""
    for _ in ("made", "opened again"):
        with writer(settings, what="test") as con:
            con.register("frame", pd.DataFrame({"n": [1, 2]}))
            assert con.execute("SELECT sum(n) FROM frame").fetchall() == [(3,)]
            con.unregister("frame")
