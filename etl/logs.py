"""Logging: details and tracebacks go to a file, people get plain messages."""

from __future__ import annotations

import logging
import logging.handlers
import os

from etl.config import Settings


class _DataFolderLog(logging.handlers.RotatingFileHandler):
    """The log file in the data folder; a record that comes after the folder was removed is dropped.

    A removed data folder (a test's temporary one, after the test) is not an error of the record's
    sender: without this, a library logging from a finaliser prints a traceback for it.
    """

    def emit(self, record: logging.LogRecord) -> None:
        if os.path.isdir(os.path.dirname(self.baseFilename)):
            super().emit(record)


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
    handler.setFormatter(logging.Formatter("%(asctime)s %(process)d %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    if _handler is not None:
        root.removeHandler(_handler)
        _handler.close()
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    _handler = handler
