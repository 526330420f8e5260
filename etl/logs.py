"""Logging: details and tracebacks go to a file, people get plain messages."""

from __future__ import annotations

import logging
import logging.handlers
import os
from pathlib import Path

from etl.config import Settings


class _DataFolderLog(logging.handlers.RotatingFileHandler):
    """The log file in the data folder; a record that comes after the folder was removed is dropped.

    A removed data folder (a test's temporary one, after the test) is not an error of the record's
    sender: without this, a library logging from a finaliser prints a traceback for it.
    """

    def emit(self, record: logging.LogRecord) -> None:
        if os.path.isdir(os.path.dirname(self.baseFilename)):
            super().emit(record)


FORMAT = "%(asctime)s %(process)d %(levelname)s %(name)s: %(message)s"
_handler: logging.handlers.RotatingFileHandler | None = None


def configure(settings: Settings) -> None:
    """Send this process's log records to data/logs/tilannekuva.log; one file at a time.

    Called again with another data folder (tests do this), the old handler is
    closed and replaced, so records never go to a folder that has gone away.
    """
    global _handler
    path = settings.log_path
    if _handler is not None and _handler.baseFilename == str(path.resolve()):
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    handler = _DataFolderLog(path, maxBytes=5_000_000, backupCount=3, encoding="utf-8")
    handler.setFormatter(logging.Formatter(FORMAT))
    root = logging.getLogger()
    if _handler is not None:
        root.removeHandler(_handler)
        _handler.close()
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    _handler = handler


def current_path() -> Path | None:
    """The file this process logs to (None before `configure`): worker processes log there too."""
    return Path(_handler.baseFilename) if _handler is not None else None


def follow(path: Path | None) -> None:
    """Log to the file the parent process logs to (a worker's records; the parent alone rotates it)."""
    if path is None:
        return
    handler = _DataFolderLog(path, maxBytes=0, encoding="utf-8", delay=True)
    handler.setFormatter(logging.Formatter(FORMAT))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.INFO)
