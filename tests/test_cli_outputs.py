"""`python -m etl protection` and `python -m etl dataset` on a small published fixture, against golden files.

Regenerate the golden files after an intended change with
`TILANNEKUVA_REGENERATE=1 .venv/bin/python -m pytest tests/test_cli_outputs.py`, then read the diff.
"""

from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path

import pytest

from etl.cli.main import main
from etl.publish.dataset import published_cells, to_csv
from etl.warehouse import load
from etl.warehouse.writer import writer
from tests.helpers import add_org, long_csv

GOLDEN = Path(__file__).parent / "golden"
# Four members, one year: forced marriage is a small count (3), so two other forms are hidden with it.
ROWS = [
    "org-a;2024;PERS_NEW;;;33;", "org-a;2024;PERS_NEW;;F;20;", "org-a;2024;PERS_NEW;;M;13;",
    "org-a;2024;PERS_NEW;LAB;;20;", "org-a;2024;PERS_NEW;SEX;;8;", "org-a;2024;PERS_NEW;MAR;;2;", "org-a;2024;PERS_NEW;OTH;;3;",
    "org-b;2024;PERS_NEW;;;25;", "org-b;2024;PERS_NEW;;F;14;", "org-b;2024;PERS_NEW;;M;11;",
    "org-b;2024;PERS_NEW;LAB;;13;", "org-b;2024;PERS_NEW;SEX;;9;", "org-b;2024;PERS_NEW;MAR;;0;", "org-b;2024;PERS_NEW;OTH;;3;",
    "org-c;2024;PERS_NEW;;;21;", "org-c;2024;PERS_NEW;;F;14;", "org-c;2024;PERS_NEW;;M;7;",
    "org-c;2024;PERS_NEW;LAB;;12;", "org-c;2024;PERS_NEW;SEX;;6;", "org-c;2024;PERS_NEW;MAR;;0;", "org-c;2024;PERS_NEW;OTH;;3;",
    "org-d;2024;PERS_NEW;;;17;", "org-d;2024;PERS_NEW;;F;10;", "org-d;2024;PERS_NEW;;M;7;",
    "org-d;2024;PERS_NEW;LAB;;9;", "org-d;2024;PERS_NEW;SEX;;5;", "org-d;2024;PERS_NEW;MAR;;1;", "org-d;2024;PERS_NEW;OTH;;2;",
]  # fmt: skip


@pytest.fixture
def published(settings):
    with writer(settings) as con:
        for org in "abcd":
            add_org(con, f"org-{org}")
    result = load.load_bytes(long_csv(ROWS), "small.csv", "test", settings, publish_now=True, today=date(2025, 2, 1))
    assert result.ok, [p.message("en") for p in result.problems]
    return settings


def _golden(name: str, text: str) -> str:
    """The golden file's text, line endings as written (the CSV files end lines with CRLF)."""
    path = GOLDEN / name
    if os.environ.get("TILANNEKUVA_REGENERATE"):
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(text.encode("utf-8"))
    return path.read_bytes().decode("utf-8")


def test_protection_json_is_the_golden_report(published, capsys):
    assert main(["protection", "--json"]) == 0
    out = capsys.readouterr().out
    report = json.loads(out)
    assert report["version"] == 1
    assert report["network"]["year"]["cells"] > 0
    assert out == _golden("protection.json", out)


def test_protection_text_names_tables_in_the_readers_language(published, capsys):
    assert main(["--lang", "sv", "protection"]) == 0
    out = capsys.readouterr().out
    assert "Dataversion 1" in out and "Nya klienter – Kön" in out
    assert "personer visade" in out


def test_dataset_is_the_download_pages_file(published, tmp_path, capsys):
    target = tmp_path / "dataset.csv"
    assert main(["dataset", "--lang", "en", "-o", str(target)]) == 0
    written = target.read_bytes()
    cells = published_cells(published.snapshots_dir / "v00001" / "tilannekuva.duckdb", 5, [])
    assert written == to_csv(cells, 1, "en")  # the same function the Download page calls
    assert written.decode("utf-8") == _golden("dataset.en.csv", written.decode("utf-8"))
    assert "dataset.csv" in capsys.readouterr().out


def test_dataset_in_sdmx_csv(published, tmp_path):
    target = tmp_path / "sdmx.csv"
    assert main(["dataset", "--format", "sdmx", "-o", str(target)]) == 0
    text = target.read_bytes().decode("utf-8")
    assert text == _golden("dataset.sdmx.csv", text)
    assert "OBS_VALUE" in text.splitlines()[0]


def test_dataset_of_a_version_that_does_not_exist(published, tmp_path, capsys):
    assert main(["--lang", "en", "dataset", "--version", "9", "-o", str(tmp_path / "x.csv")]) != 0
    assert "Data version 9 does not exist" in capsys.readouterr().err
