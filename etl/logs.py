"""Logging: details and tracebacks go to a file, people get plain messages."""

from __future__ import annotations

import logging
import logging.handlers

from etl.config import Settings

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
    handler = logging.handlers.RotatingFileHandler(path, maxBytes=5_000_000, backupCount=3, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(process)d %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    if _handler is not None:
        root.removeHandler(_handler)
        _handler.close()
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    _handler = handler
