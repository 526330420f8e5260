"""Writers as separate processes: the etl command line, started cold or held ready at the starting line."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bench.harness.server import ROOT, dashboard_environment

# The etl command line with its imports done, waiting for one line on stdin before it runs
# (the arguments are the command's own). A cold start takes seconds on a busy machine, so
# this is how a test makes a second command start inside a window the first one opens
# (everything the commands import lazily is imported before the starting line).
READY = "ready"
HELD_CLI = (
    "import sys\n"
    "import etl.warehouse.load, etl.publish.versions, etl.intake.template\n"  # what the commands import when they run
    "from etl.cli.main import main\n"
    f"print({READY!r}, flush=True)\n"
    "sys.stdin.readline()\n"
    "raise SystemExit(main(sys.argv[1:]))\n"
)


def etl_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "etl", "--lang", "en", *args]


def start_etl(data_dir: Path, *args: str) -> subprocess.Popen[str]:
    """`python -m etl --lang en ARGS` on data_dir, its stderr (progress and errors) readable line by line."""
    return subprocess.Popen(
        etl_command(*args),
        cwd=ROOT,
        env=dashboard_environment(data_dir),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def run_etl(data_dir: Path, *args: str, timeout: float = 180) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        etl_command(*args),
        cwd=ROOT,
        env=dashboard_environment(data_dir),
        capture_output=True,
        text=True,
        timeout=timeout,
    )


class HeldCommand:
    """`python -m etl ARGS` started and imported, but running only when `go()` is called."""

    def __init__(self, data_dir: Path, *args: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-c", HELD_CLI, "--lang", "en", *args],
            cwd=ROOT,
            env=dashboard_environment(data_dir),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout is not None
        line = self.process.stdout.readline().strip()
        assert line == READY, (
            f"the held command did not start: {line!r} {self.process.stderr and self.process.stderr.read()}"
        )

    def go(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write("\n")
        self.process.stdin.flush()

    def result(self, timeout: float = 120) -> tuple[int, str, str]:
        stdout, stderr = self.process.communicate(timeout=timeout)
        return self.process.returncode, stdout, stderr


def holds_writer_lock(pid: int, lock_path: Path) -> str | None:
    """What `pid` says it is doing while it holds the single-writer lock (from the lock file), or None.

    /proc/locks lists every flock with the process that took it, so this asks without
    touching the lock (trying to take it would make the holder's next attempt busy).
    """
    try:
        inode = lock_path.stat().st_ino
        held = any(
            fields[1] == "FLOCK" and fields[4] == str(pid) and fields[5].endswith(f":{inode}")
            for fields in (line.split() for line in Path("/proc/locks").read_text().splitlines())
            if len(fields) > 5
        )
        stamp = json.loads(lock_path.read_text(encoding="utf-8")) if held else {}
    except (OSError, ValueError):
        return None
    return str(stamp["what"]) if stamp.get("pid") == pid else None  # the stamp is written just after the flock


@contextmanager
def paused_while_writing(pid: int, lock_path: Path, what: str, timeout: float = 120) -> Iterator[None]:
    """Wait until `pid` holds the writer lock doing `what` (a prefix), then stop it (SIGSTOP) for the block.

    Stopping the holder keeps the lock held for as long as the block needs, so a second
    writer started inside the block meets the lock every time, not only when it is quick.
    """
    deadline = time.monotonic() + timeout
    while not (holds_writer_lock(pid, lock_path) or "").startswith(what):
        if time.monotonic() > deadline:
            raise AssertionError(f"process {pid} did not take the writer lock for {what!r} in {timeout:.0f} s")
        time.sleep(0.001)
    os.kill(pid, signal.SIGSTOP)
    try:
        yield
    finally:
        os.kill(pid, signal.SIGCONT)
