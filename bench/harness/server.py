"""A real dashboard server for browser journeys, fault tests and benchmarks.

`DashboardServer` runs `python -m streamlit run dashboard/server.py` as a child process
on a free localhost port, with its own data folder, headless and without a file
watcher, and waits for /_stcore/health. It can be stopped, killed with SIGKILL and
started again on the same data folder (a new port each time).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT = 120.0  # seconds: a cold start on a busy 2-core machine takes 10-30 s


class ServerFailed(RuntimeError):
    """The server did not come up (its output is in the message)."""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def is_healthy(url: str, timeout: float = 2.0) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=timeout) as reply:
            return reply.status == 200 and reply.read().strip() == b"ok"
    except OSError:
        return False


def dashboard_environment(data_dir: Path, public: bool = False, **extra: str) -> dict[str, str]:
    """The environment of a dashboard or etl child process on `data_dir` (nothing inherited that changes data)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("TILANNEKUVA_")}
    env["TILANNEKUVA_DATA_DIR"] = str(data_dir)
    env["TILANNEKUVA_PUBLIC_MODE"] = "true" if public else "false"
    env.update({f"TILANNEKUVA_{name}": value for name, value in extra.items()})
    return env


def _end_processes_using(folder: Path, timeout: float = 10.0) -> None:
    """SIGKILL every process with `folder` on its command line, until none is left (or `timeout`).

    The export browser runs in a session of its own (choreographer starts it so), so ending the
    server's process group does not reach it: left alone, it ends a moment later and writes its
    profile into the folder as it goes.
    """
    marker = f"{folder}/".encode()  # the browser's profile is a folder inside it
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        using = [pid for pid in _pids() if marker in _command_line(pid)]
        if not using:
            return
        for pid in using:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, signal.SIGKILL)
        time.sleep(0.05)


def _pids() -> list[int]:
    return [int(entry.name) for entry in Path("/proc").iterdir() if entry.name.isdigit()]


def _command_line(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:  # ended in between
        return b""


class DashboardServer:
    """One dashboard process on `data_dir`; its stdout and stderr go to `log`.

    Its temporary files (the export browser's profile, about 6 MB) go to a folder of its own, removed
    when it ends: a server killed with SIGKILL cannot remove them itself. What was left there is kept
    in `left_behind`. The folder is short-named in /tmp, not beside the log: Chromium puts a socket in
    it, and a socket's path may not exceed 107 bytes.
    """

    def __init__(self, data_dir: Path, log: Path, public: bool = False, **extra: str) -> None:
        self.data_dir, self.log, self.public, self.extra = data_dir, log, public, extra
        self._temp_dir: Path | None = None  # made at start
        self.left_behind: list[str] = []
        self.process: subprocess.Popen[bytes] | None = None
        self.port = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def command(self) -> list[str]:
        return [
            sys.executable, "-m", "streamlit", "run", "dashboard/server.py",
            "--server.port", str(self.port), "--server.address", "127.0.0.1",
            "--server.headless", "true", "--server.fileWatcherType", "none",
            "--browser.gatherUsageStats", "false",
        ]  # fmt: skip

    @property
    def temp_dir(self) -> Path:
        """The temporary folder of the latest start (gone once the server has ended)."""
        assert self._temp_dir is not None, "the server was never started"
        return self._temp_dir

    def environment(self) -> dict[str, str]:
        return {**dashboard_environment(self.data_dir, self.public, **self.extra), "TMPDIR": str(self.temp_dir)}

    def start(self, timeout: float = START_TIMEOUT) -> DashboardServer:
        """Start on a free port and wait until healthy; a port taken in between is retried."""
        for _attempt in range(3):
            self.port = free_port()
            self.log.parent.mkdir(parents=True, exist_ok=True)
            if self._temp_dir is None or not self._temp_dir.exists():
                self._temp_dir = Path(tempfile.mkdtemp(prefix="tk-server-"))
            with self.log.open("ab") as out:
                self.process = subprocess.Popen(
                    self.command(),
                    cwd=ROOT,
                    env=self.environment(),
                    stdout=out,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,  # its own process group: SIGKILL reaches only it
                )
            if self._wait_healthy(timeout):
                return self
            if self.process.poll() is None:
                self.kill()
                break
        self._end_group()  # what an attempt that ended by itself left
        raise ServerFailed(f"the dashboard did not start on {self.data_dir}:\n{self.output_tail()}")

    def _wait_healthy(self, timeout: float) -> bool:
        assert self.process is not None
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if is_healthy(self.url):
                return self.process.poll() is None  # and ours is still running (it exits if the port was taken)
            if self.process.poll() is not None:
                return False  # exited: e.g. the port was taken after we chose it
            time.sleep(0.2)
        return False

    def output_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no output)"

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def stop(self) -> None:
        """SIGTERM, then SIGKILL if it has not ended in 20 s; then whatever it started (the export browser)."""
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=20)
        self._end_group()

    def kill(self) -> None:
        """SIGKILL, as a crash or the OOM killer would."""
        if self.process is None:
            return
        if self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=20)
        self._end_group()

    def _end_group(self) -> None:
        """The process group this server led (its own session) and the export browser it started: what they left."""
        assert self.process is not None
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.process.pid, signal.SIGKILL)
        if self._temp_dir is None:
            return
        _end_processes_using(self.temp_dir)
        if self.temp_dir.exists():
            self.left_behind = sorted(path.name for path in self.temp_dir.iterdir())
            shutil.rmtree(self.temp_dir, ignore_errors=True)

    def peak_memory_mb(self) -> float:
        """The server's peak resident memory so far (VmHWM)."""
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
        return 0.0

    def __enter__(self) -> DashboardServer:
        return self.start() if not self.running else self

    def __exit__(self, *exc: object) -> None:
        self.stop()
