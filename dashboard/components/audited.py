"""Downloads that leave one audit row each: every export is in the audit log.

`audited(data, kind=..., file_name=...)` turns a download's data (bytes, or a
callable that makes them) into a callable for st.download_button. Streamlit runs
a callable `data` only when the person clicks: the browser asks the server for
that one button's file (a deferred-file request) and the server calls the
callable once for it. Rendering the page runs nothing, so a page that shows ten
buttons writes no row, and each click that downloads writes exactly one. The
row is written after the file was made: a download that failed is not logged.

The callable runs outside the session (no st.session_state), so everything it
needs -- who, which settings, what file -- is read now and closed over.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import streamlit as st

from dashboard import auth
from etl.config import get_settings
from etl.warehouse import audit
from etl.warehouse.writer import flush_audit

log = logging.getLogger(__name__)
Data = bytes | str | Callable[[], bytes | str]


def current_actor() -> str:
    """Who is downloading: the signed-in user name, or "public" for a visitor in public mode."""
    session = st.session_state.get(auth.SESSION_KEY)
    return session.username if isinstance(session, auth.Session) else "public"


def record_export(settings: Any, actor: str, kind: str, file_name: str, detail: dict[str, Any]) -> None:
    """One audit row for one download (spooled, then moved into the log when the writer is free)."""
    audit.spool(settings, actor, "export", "ok", {"kind": kind, "file_name": file_name, **detail})
    try:
        flush_audit(settings)
    except Exception:  # the row is safe in the spool; the next writer imports it
        log.exception("could not flush the audit spool")


def audited(
    data: Data, *, kind: str, file_name: str, after: Callable[[], object] | None = None, **detail: Any
) -> Callable[[], bytes | str]:
    """A download_button `data` callable that makes the file and then writes its audit row.

    `after` runs once the file is made (the figure's public link: downloads.public_share); its
    failure is logged and never costs the person the download.
    """
    settings, actor = get_settings(), current_actor()

    def make() -> bytes | str:
        payload = data() if callable(data) else data
        record_export(settings, actor, kind, file_name, detail)
        if after is not None:
            try:
                after()
            except Exception:
                log.exception("after the download of %s", file_name)
        return payload

    return make
