"""Writers as separate processes: the etl command line, started cold or held ready at the starting line."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.e2e.server import ROOT, dashboard_environment

# The etl command line with its imports done, waiting for one line on stdin before it runs
# (the arguments are the command's own). A cold start takes seconds on a busy machine, so
# this is how a test makes a second command start inside a window the first one opens
# (everything the commands import lazily is imported before the starting line).
READY = "ready"
HELD_CLI = (
    "import sys\n"
    "import etl.load, etl.publish, etl.template\n"  # what the commands import when they run
    "from etl.cli import main\n"
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
