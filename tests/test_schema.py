"""The database itself refuses what the contract forbids."""

from datetime import datetime

import duckdb
import pytest

from etl.warehouse import audit
from etl.warehouse.writer import writer
from tests.helpers import add_org


@pytest.fixture
def con(settings):
    with writer(settings, what="test") as connection:
        add_org(connection)
        connection.execute("INSERT INTO raw_file VALUES (?, 'x.csv', 'csv', 1, ?)", ["a" * 64, datetime.now()])
        connection.execute(
            "INSERT INTO submission (org_code, period, version, status, file_sha256, loaded_by, loaded_at, row_count) "
            "VALUES ('testi', '2024', 1, 'draft', ?, 'test', ?, 1)",
            ["a" * 64, datetime.now()],
        )
        yield connection


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


def test_unknown_code_is_refused(con):
    with pytest.raises(duckdb.ConstraintException, match="foreign key"):
        _fact(con, dim1="exploitation_form", code1="NOPE")


def test_code_of_another_dimension_is_refused(con):
    with pytest.raises(duckdb.ConstraintException, match="foreign key"):
        _fact(con, dim1="sex", code1="LAB")


def test_breakdown_outside_the_contract_is_refused(con):
    with pytest.raises(duckdb.ConstraintException, match="foreign key"):
        _fact(con, measure="PERS_ACTIVE", dim1="citizenship", code1="RO")


def test_duplicate_cell_is_refused(con):
    _fact(con, value=3)
    with pytest.raises(duckdb.ConstraintException):
        _fact(con, value=4)


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
