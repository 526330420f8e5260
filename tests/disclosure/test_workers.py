"""Years protected in worker processes give what one process gives, and log where it logs."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from etl import logs
from etl.config import Settings
from etl.disclosure.engine import Prior, protect
from etl.disclosure.tables import ALL, Batch, Subset
from etl.disclosure.workers import protect_years
from tests.disclosure.builders import measures, member_cells, one_d

YEARS = (2023, 2024, 2025)
MEMBERS = {
    "a": {"F": 10, "M": 6, "X": 2, "UNK": 3},
    "b": {"F": 12, "M": 9, "UNK": 3},
    "c": {"F": 9, "M": 8, "UNK": 3},
    "d": {"F": 9, "M": 7, "UNK": 1},
}


def _facts(members: dict[str, dict[str, int]]) -> pd.DataFrame:
    years = [
        member_cells([row for org, counts in members.items() for row in one_d(org, "sex", counts)], year=year)
        for year in YEARS
    ]
    return pd.concat(years, ignore_index=True)


def _batches(facts: pd.DataFrame) -> dict[int, Batch]:
    return {year: Batch(facts[facts["year"] == year], measures(), [Subset(ALL)]) for year in YEARS}


@pytest.fixture(scope="module")
def revision() -> tuple[dict[int, Batch], list[Prior]]:
    """Every year revised once: one of member a's two persons of sex X turns out to be a man."""
    first_facts = _facts(MEMBERS)
    first = pd.concat(protect(batch, 5) for batch in _batches(first_facts).values()).drop(columns=["persons"])
    revised = _facts({**MEMBERS, "a": {"F": 10, "M": 7, "X": 1, "UNK": 3}})
    return _batches(revised), [Prior(1, first_facts, first, [Subset(ALL)])]


def test_two_workers_publish_what_one_process_publishes(revision, tmp_path):
    batches, priors = revision
    alone = protect_years(batches, 5, priors, workers=1)
    side_by_side = protect_years(batches, 5, priors, workers=2)
    assert list(side_by_side) == list(YEARS)
    for year in YEARS:
        pd.testing.assert_frame_equal(side_by_side[year], alone[year])
        assert (alone[year]["flag"].str.contains("c")).any()  # the protection had something to do


def test_the_workers_write_their_notes_to_the_same_log(revision, tmp_path):
    batches, priors = revision
    settings = Settings(data_dir=tmp_path / "data")
    logs.configure(settings)
    protect_years(batches, 5, priors, workers=2)
    lines = [line for line in settings.log_path.read_text(encoding="utf-8").splitlines() if "versions before" in line]
    assert sorted(line.split(": ")[1][:4] for line in lines) == [str(year) for year in YEARS]
    assert all(line.split()[2] != str(os.getpid()) for line in lines)  # written by the worker processes


def test_a_removed_log_folder_does_not_stop_the_workers(revision, tmp_path):
    batches, priors = revision
    settings = Settings(data_dir=tmp_path / "gone")
    logs.configure(settings)
    shutil.rmtree(settings.data_dir)
    assert sorted(protect_years(batches, 5, priors, workers=2)) == list(YEARS)


def test_the_workers_do_not_run_the_parents_main_script_again(tmp_path):
    """A page script (Streamlit runs it as `__main__`) that publishes must not run again in each worker."""
    marker = tmp_path / "runs.txt"
    script = tmp_path / "page.py"
    script.write_text(
        f"""
with open({str(marker)!r}, "a") as out:
    out.write("ran\\n")  # no __name__ guard, like a page script
from tests.disclosure.test_workers import revision
from etl.disclosure.workers import protect_years
batches, priors = revision.__wrapped__()
protect_years(batches, 5, priors, workers=2)
""",
        encoding="utf-8",
    )
    root = Path(__file__).parents[2]
    subprocess.run([sys.executable, str(script)], cwd=root, env={**os.environ, "PYTHONPATH": str(root)}, check=True)
    assert marker.read_text(encoding="utf-8") == "ran\n"
