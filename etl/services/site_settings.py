"""Settings the coordinator changes on the dashboard; the environment gives their defaults.

Whether exported figures open for anyone at /f/<figure id> (etl.publish.public_figures),
and what the About page shows beside the aims: the members listed, partners, whom to ask
about joining. Each change is an audit row; the account store keeps the value, so every
dashboard process sees it at once.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field

from etl.config import Settings
from etl.errors import InputError
from etl.i18n import LANGUAGES
from etl.services.access import STAFF, Caller, require
from etl.services.account_store import connect, flush, record, transaction, utcnow

PUBLIC_FIGURE_LINKS = "public_figure_links"
ON, OFF = "on", "off"


def _stored(settings: Settings, name: str) -> str | None:
    with connect(settings) as con:
        return _read(con, name)


def _read(con: sqlite3.Connection, name: str) -> str | None:
    row = con.execute("SELECT value FROM site_setting WHERE name = ?", [name]).fetchone()
    return str(row[0]) if row else None


def _write(con: sqlite3.Connection, settings: Settings, who: Caller, name: str, value: str) -> None:
    """Store one setting and its audit row (inside the caller's transaction)."""
    con.execute(
        "INSERT INTO site_setting (name, value, changed_by, changed_at) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (name) DO UPDATE SET value = excluded.value, changed_by = excluded.changed_by, "
        "changed_at = excluded.changed_at",
        [name, value, who.username, utcnow().isoformat()],
    )
    record(settings, who.username, "setting_change", "ok", {"setting": name, "value": value})


def public_figure_links(settings: Settings) -> bool:
    """Whether figure links are on: the coordinator's choice, else TILANNEKUVA_PUBLIC_FIGURE_LINKS."""
    stored = _stored(settings, PUBLIC_FIGURE_LINKS)
    return settings.public_figure_links if stored is None else stored == ON


def set_public_figure_links(settings: Settings, caller: Caller | None, on: bool) -> None:
    """Switch the public figure links on or off (staff only)."""
    who = require(caller, *STAFF, action="setting_change")
    with connect(settings) as con, transaction(con):
        _write(con, settings, who, PUBLIC_FIGURE_LINKS, ON if on else OFF)
    flush(settings)


# The About page (dashboard/app_pages/about.py) -----------------------------------------------

ABOUT_LISTED = "about_listed"  # member codes listed, comma-separated: none until staff choose
ABOUT_PARTNERS = "about_partners"  # one partner per line
ABOUT_CONTACT = "about_contact"  # whom to ask about joining
ABOUT_PRINCIPLES = {lang: f"about_principles_{lang}" for lang in LANGUAGES}  # what members sign, per language
MAX_PARTNERS, MAX_LINE, MAX_PRINCIPLES = 30, 200, 4000


@dataclass(frozen=True)
class AboutPage:
    listed: frozenset[str]  # codes of the member organisations the coordinator chose to list
    partners: tuple[str, ...]
    contact: str  # "" until staff set it
    principles: dict[str, str] = field(default_factory=dict)  # language -> text; empty until staff set it


def about_page(settings: Settings) -> AboutPage:
    """What staff chose for the About page."""
    with connect(settings) as con:
        listed, partners, contact = (_read(con, name) or "" for name in (ABOUT_LISTED, ABOUT_PARTNERS, ABOUT_CONTACT))
        principles = {lang: _read(con, name) or "" for lang, name in ABOUT_PRINCIPLES.items()}
    return AboutPage(
        frozenset(filter(None, listed.split(","))),
        tuple(filter(None, partners.split("\n"))),
        contact,
        {lang: text for lang, text in principles.items() if text},
    )


def set_about_page(
    settings: Settings,
    caller: Caller | None,
    listed: Iterable[str],
    partners: str,
    contact: str,
    known: Iterable[str],
    principles: dict[str, str] | None = None,
) -> AboutPage:
    """Store the About page's choices (staff only); `known`: the codes of the member register.

    Each setting that changes is one audit row; nothing is stored when a value is refused.
    """
    who = require(caller, *STAFF, action="setting_change")
    codes = sorted(set(listed))
    unknown = sorted(set(codes) - set(known))
    if unknown:
        raise InputError("about.unknown_org", orgs=", ".join(unknown))
    lines = [tidy for line in partners.splitlines() if (tidy := " ".join(line.split()))]
    if len(lines) > MAX_PARTNERS or any(len(line) > MAX_LINE for line in lines):
        raise InputError("about.partners_too_long", lines=MAX_PARTNERS, characters=MAX_LINE)
    contact = " ".join(contact.split())
    if len(contact) > MAX_LINE:
        raise InputError("about.contact_too_long", characters=MAX_LINE)
    wanted = {ABOUT_LISTED: ",".join(codes), ABOUT_PARTNERS: "\n".join(lines), ABOUT_CONTACT: contact}
    if principles is not None:  # None: leave them as they are
        wanted |= {ABOUT_PRINCIPLES[lang]: text for lang, text in _principles(principles).items()}
    with connect(settings) as con, transaction(con):
        for name, value in wanted.items():
            if (_read(con, name) or "") != value:
                _write(con, settings, who, name, value)
    flush(settings)
    return about_page(settings)


def _principles(texts: dict[str, str]) -> dict[str, str]:
    """The principles in fi, sv and en, or in none (a reader never meets them in one language only)."""
    clean = {lang: texts.get(lang, "").strip() for lang in LANGUAGES}
    if any(clean.values()) and not all(clean.values()):
        raise InputError("about.principles_incomplete", missing=", ".join(k for k, v in clean.items() if not v))
    if any(len(text) > MAX_PRINCIPLES for text in clean.values()):
        raise InputError("about.principles_too_long", characters=MAX_PRINCIPLES)
    return clean
