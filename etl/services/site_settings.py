"""Settings the coordinator changes on the dashboard; the environment gives their defaults.

One so far: whether exported figures open for anyone at /f/<figure id>
(etl.publish.public_figures). Each change is an audit row; the account store keeps the
value, so every dashboard process sees it at once.
"""

from __future__ import annotations

from etl.config import Settings
from etl.services.access import STAFF, Caller, require
from etl.services.account_store import connect, flush, record, transaction, utcnow

PUBLIC_FIGURE_LINKS = "public_figure_links"
ON, OFF = "on", "off"


def _stored(settings: Settings, name: str) -> str | None:
    with connect(settings) as con:
        row = con.execute("SELECT value FROM site_setting WHERE name = ?", [name]).fetchone()
    return str(row[0]) if row else None


def public_figure_links(settings: Settings) -> bool:
    """Whether figure links are on: the coordinator's choice, else TILANNEKUVA_PUBLIC_FIGURE_LINKS."""
    stored = _stored(settings, PUBLIC_FIGURE_LINKS)
    return settings.public_figure_links if stored is None else stored == ON


def set_public_figure_links(settings: Settings, caller: Caller | None, on: bool) -> None:
    """Switch the public figure links on or off (staff only)."""
    who = require(caller, *STAFF, action="setting_change")
    value = ON if on else OFF
    with connect(settings) as con, transaction(con):
        con.execute(
            "INSERT INTO site_setting (name, value, changed_by, changed_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (name) DO UPDATE SET value = excluded.value, changed_by = excluded.changed_by, "
            "changed_at = excluded.changed_at",
            [PUBLIC_FIGURE_LINKS, value, who.username, utcnow().isoformat()],
        )
        record(settings, who.username, "setting_change", "ok", {"setting": PUBLIC_FIGURE_LINKS, "value": value})
    flush(settings)
