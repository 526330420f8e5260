"""The account store's first use by several processes at once: every one gets the store, none an error.

A fresh install's first visitors and a command-line load arrive together; each asks the store.
Every connection used to switch the file to WAL, which SQLite refuses at once ("database is
locked", busy timeout or not) while another process has the new file open. Seen in a test run:
the first page of a viewer failed while a load ran beside the dashboard.
"""

from __future__ import annotations

import multiprocessing
from pathlib import Path

from etl.config import Settings
from etl.services import account_store

PROCESSES = 8
ROUNDS = 10  # before the fix, about one round in three failed


def _open_often(data_dir: str, start: object) -> str:
    start.wait()  # type: ignore[attr-defined]
    try:
        for _ in range(20):
            with account_store.connect(Settings(data_dir=Path(data_dir))) as con:
                con.execute("SELECT count(*) FROM account").fetchall()
    except Exception as failure:
        return repr(failure)
    return ""


def test_processes_opening_a_new_store_at_once_all_get_it(tmp_path: Path) -> None:
    with multiprocessing.Manager() as manager, multiprocessing.Pool(PROCESSES) as pool:
        for round_ in range(ROUNDS):
            data_dir = tmp_path / f"data{round_}"
            start = manager.Barrier(PROCESSES)
            failures = [f for f in pool.starmap(_open_often, [(str(data_dir), start)] * PROCESSES) if f]
            assert failures == [], f"round {round_}"
            settings = Settings(data_dir=data_dir)
            with account_store.connect(settings) as con:
                assert con.execute("PRAGMA journal_mode").fetchone() == ("wal",)
            assert settings.accounts_path.stat().st_mode & 0o777 == 0o600  # hashes are private
            assert [p.name for p in settings.accounts_path.parent.iterdir() if p.name.endswith(".new")] == []
