"""etl.durable: a file is replaced whole or not at all, and no temporary file is left behind."""

from pathlib import Path

import pytest

from etl.durable import fsync_path, write_atomic


def test_write_atomic_replaces_the_file_and_leaves_nothing_else(tmp_path: Path) -> None:
    target = tmp_path / "CURRENT.json"
    target.write_bytes(b"old")
    write_atomic(target, b"new")
    assert target.read_bytes() == b"new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["CURRENT.json"]


def test_a_failed_write_keeps_the_old_bytes(tmp_path: Path) -> None:
    target = tmp_path / "manifest.json"
    target.write_bytes(b"old")
    with pytest.raises(TypeError):
        write_atomic(target, "not bytes")  # type: ignore[arg-type]
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["manifest.json"]


def test_fsync_path_takes_files_and_folders(tmp_path: Path) -> None:
    (tmp_path / "a").write_bytes(b"x")
    fsync_path(tmp_path / "a")
    fsync_path(tmp_path)
    with pytest.raises(FileNotFoundError):
        fsync_path(tmp_path / "missing")
