"""Logging: details and tracebacks go to a file, people get plain messages."""

from __future__ import annotations

import logging
import logging.handlers

from etl.config import Settings

_configured: set[str] = set()


def configure(settings: Settings) -> None:
    """Send this process's log records to data/logs/tilannekuva.log (once per path)."""
    path = settings.log_path
    if str(path) in _configured:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    handler = logging.handlers.RotatingFileHandler(path, maxBytes=5_000_000, backupCount=3, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(process)d %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    _configured.add(str(path))
