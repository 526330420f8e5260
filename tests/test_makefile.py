"""`make run` and `make test` see to Chromium first (README, quick start).

The `chromium` target is run with a PATH that has no Chromium: as a user who is not root
it must stop at once with one line saying what to install; as root without apt-get too.
(Installing through apt-get is what CI does on a clean machine; it is not repeated here.)
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
MAKE = shutil.which("make") or "make"  # the suite runs under `make test`


def _fake_bin(folder: Path, uid: int) -> Path:
    """A PATH holding only `id` (answering `uid`): no chromium, no apt-get."""
    folder.mkdir()
    script = folder / "id"
    script.write_text(f"#!/bin/sh\necho {uid}\n", encoding="utf-8")
    script.chmod(0o755)
    return folder


@pytest.mark.parametrize("uid", [1000, 0])
def test_without_chromium_make_stops_with_one_line_saying_what_to_install(tmp_path, uid):
    path = _fake_bin(tmp_path / "bin", uid)
    done = subprocess.run(
        [str(MAKE), "--no-print-directory", "-f", str(ROOT / "Makefile"), "chromium"],
        cwd=ROOT,
        env={"PATH": str(path)},
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert done.returncode != 0
    lines = [line for line in done.stderr.splitlines() if not line.startswith("make:")]
    assert lines == [
        "Chromium is missing: install Debian's chromium package (sudo apt-get install chromium), then run make again."
    ]


def test_run_and_test_depend_on_chromium():
    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    targets = {line.split(":")[0]: line.split(":", 1)[1].split() for line in text.splitlines() if ":" in line}
    assert "chromium" in targets["run"] and "chromium" in targets["test"]
