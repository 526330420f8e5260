"""Every file in tests/fixtures/invalid/ goes through the real load path and is refused.

For each file: the outcome is "rejected"; every problem of `<name>.expected.json` is
reported at its place (code, sheet, row, column); every data table of the warehouse
is unchanged; exactly one audit row is added, with outcome "rejected"; and when the
file holds person-level data its bytes are kept nowhere.

"Unchanged" compares the contents of every table except the audit log: the DuckDB
file itself is not byte-for-byte the same, because the audit row of the attempt is
written into it (and DuckDB may reorganise its blocks when it does).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from etl.intake import screen
from etl.warehouse import load
from etl.warehouse.writer import writer

INVALID = Path(__file__).resolve().parent.parent / "fixtures" / "invalid"
FILES = sorted(p for p in INVALID.iterdir() if p.is_file() and not p.name.endswith(".expected.json"))
AUDIT_TABLES = {"audit_log", "audit_seal"}


def _tables(settings) -> dict[str, list[tuple]]:
    with writer(settings) as con:
        names = [
            row[0]
            for row in con.execute(
                "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() ORDER BY 1"
            ).fetchall()
        ]
        return {
            name: con.execute(f"SELECT * FROM {name} ORDER BY ALL").fetchall()
            for name in names
            if name not in AUDIT_TABLES
        }


def _audit(settings) -> list[tuple]:
    with writer(settings) as con:
        return con.execute("SELECT id, action, outcome, detail->>'file_name' FROM audit_log ORDER BY id").fetchall()


def test_the_corpus_is_big_enough_and_every_file_says_what_it_expects():
    assert len(FILES) >= 40
    rules = [p for p in FILES if p.name.startswith("rule_")]
    assert len(rules) >= 20
    for path in FILES:
        expected = json.loads((INVALID / f"{path.stem}.expected.json").read_text(encoding="utf-8"))
        assert expected["problems"] and expected["why"], path.name


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_every_invalid_file_is_rejected_and_changes_nothing(path: Path, prepared):
    expected = json.loads((INVALID / f"{path.stem}.expected.json").read_text(encoding="utf-8"))
    before, audit_before = _tables(prepared), _audit(prepared)
    raw_before = sorted(prepared.raw_dir.iterdir())

    result = load.load_bytes(path.read_bytes(), path.name, "tester", prepared)

    assert result.outcome == "rejected"
    seen = {(p.code, p.sheet, p.row, p.column) for p in result.problems}
    for problem in expected["problems"]:
        wanted = (problem["code"], problem["sheet"], problem["row"], problem["column"])
        assert wanted in seen, f"{path.name}: {wanted} not in {sorted(seen, key=str)}"
    assert _tables(prepared) == before
    new_rows = _audit(prepared)[len(audit_before) :]
    assert [(action, outcome, name) for _, action, outcome, name in new_rows] == [("load", "rejected", path.name)]
    if any(p.code in screen.PERSONAL_DATA_CODES for p in result.problems):
        assert sorted(prepared.raw_dir.iterdir()) == raw_before  # person-level bytes are kept nowhere
        assert not result.raw_kept
