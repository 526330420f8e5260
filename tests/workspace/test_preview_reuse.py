"""The publication that follows a preview reads the year the preview protected (etl.disclosure.reuse)."""

from __future__ import annotations

import logging
import os
import time

import pandas as pd

from etl.config import Settings
from etl.disclosure import reuse
from etl.publish import preview, snapshots
from etl.services import workflow
from etl.services.access import Caller, Role
from etl.sqlfiles import open_snapshot
from tests.workspace.helpers import long_file

COORDINATOR = Caller("k", Role.COORDINATOR)
REUSED = "protected as before"


def _published_cells(path: os.PathLike[str]) -> pd.DataFrame:
    with open_snapshot(path) as con:
        return con.execute("SELECT * FROM published_cell ORDER BY ALL").df()


def _upload_and_preview(settings: Settings, figures: tuple[int, int, int]) -> preview.Preview:
    done = workflow.upload(
        settings, COORDINATOR, long_file("demo-tuki", "2024", *figures), "f.csv", "demo-tuki", "2024"
    )
    assert done.ok, [p.message("en") for p in done.problems]
    part = done.parts["2024"]
    return preview.build(settings, COORDINATOR, "demo-tuki", "2024", part.cells, part.version)


def _kept(settings: Settings) -> dict[str, os.stat_result]:
    """The protected years kept (name: stat); every publication of the tiny warehouse keeps one too."""
    folder = settings.protected_years_dir
    return {path.name: path.stat() for path in folder.iterdir()} if folder.is_dir() else {}


def test_publishing_what_was_previewed_reads_the_kept_year_and_publishes_what_the_preview_showed(tiny_ws, caplog):
    before = _kept(tiny_ws)
    shown = _upload_and_preview(tiny_ws, (40, 30, 10))
    new = {name: stat for name, stat in _kept(tiny_ws).items() if name not in before}
    assert len(new) == 1  # the year the upload changes
    assert all(stat.st_mode & 0o077 == 0 for stat in new.values())  # exact figures: the service user only
    assert shown.after is not None

    with caplog.at_level(logging.INFO, logger="etl.disclosure.snapshot"):
        version = workflow.publish_upload(tiny_ws, COORDINATOR, "demo-tuki", "2024")
    assert [r.getMessage() for r in caplog.records if REUSED in r.getMessage()] == [
        f"2024: {REUSED} (the same figures against the same versions)"
    ]
    published = snapshots.current(tiny_ws)
    assert published is not None and published.version == version
    pd.testing.assert_frame_equal(_published_cells(published.path), _published_cells(shown.after.path))


def test_other_figures_than_the_preview_are_protected_anew(tiny_ws, caplog):
    _upload_and_preview(tiny_ws, (40, 30, 10))
    before = _kept(tiny_ws)
    done = workflow.upload(
        tiny_ws, COORDINATOR, long_file("demo-tuki", "2024", 41, 30, 11), "g.csv", "demo-tuki", "2024"
    )
    assert done.ok
    with caplog.at_level(logging.INFO, logger="etl.disclosure.snapshot"):
        workflow.publish_upload(tiny_ws, COORDINATOR, "demo-tuki", "2024")
    assert not [r for r in caplog.records if REUSED in r.getMessage()]
    assert len(_kept(tiny_ws)) == len(before) + 1  # the publication's own protection is kept as well


def test_a_damaged_kept_year_is_protected_again(tiny_ws, caplog):
    before = _kept(tiny_ws)
    shown = _upload_and_preview(tiny_ws, (40, 30, 10))
    assert shown.after is not None
    (kept,) = set(_kept(tiny_ws)) - set(before)
    (tiny_ws.protected_years_dir / kept).write_bytes(b"not a parquet file")
    with caplog.at_level(logging.INFO, logger="etl.disclosure"):
        workflow.publish_upload(tiny_ws, COORDINATOR, "demo-tuki", "2024")
    messages = [r.getMessage() for r in caplog.records]
    assert any("unreadable: protected again" in m for m in messages)
    assert not any(REUSED in m for m in messages)
    published = snapshots.current(tiny_ws)
    assert published is not None
    pd.testing.assert_frame_equal(_published_cells(published.path), _published_cells(shown.after.path))


def test_kept_years_are_deleted_after_a_day(tmp_path):
    folder = tmp_path / "kept"
    frame = pd.DataFrame({"year": [2024], "value": [3]})
    reuse.store(folder, "old", frame)
    reuse.store(folder, "new", frame)
    day_ago = time.time() - (reuse.KEEP_HOURS + 1) * 3600
    os.utime(folder / "old.parquet", (day_ago, day_ago))
    assert reuse.sweep(folder) == 1
    assert reuse.load(folder, "old") is None
    pd.testing.assert_frame_equal(reuse.load(folder, "new"), frame)
