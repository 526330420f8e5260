"""Public demo accounts, created only beside the synthetic demo data.

`python -m etl demo` (and so `make run`) creates one account per role with fixed,
published passwords and prints them. They are refused on any data that is not the
synthetic demo, so a real installation never gets a known password. The demo's
About page lists its fictional members (a real register is listed only by choice).
"""

# ruff: noqa: E501  (the account table reads best one account per line)

from __future__ import annotations

from dataclasses import dataclass

from etl.config import Settings
from etl.demo.build import DATASET
from etl.publish import snapshots
from etl.services import account_store, accounts, site_settings
from etl.services.access import Caller, Role

DEMO_ORG = "demo-tuki"  # a fictional member of the synthetic demo
CREATOR = Caller("demo", Role.ADMIN)


@dataclass(frozen=True)
class DemoAccount:
    username: str
    password: str
    role: Role
    org_code: str | None
    display_name: str
    email: str


DEMO_ACCOUNTS = (
    DemoAccount("demo-coordinator", "demo-coordinator-pw", Role.COORDINATOR, None, "Demo Coordinator", "coordinator@demo.invalid"),
    DemoAccount("demo-admin", "demo-admin-pw", Role.ADMIN, None, "Demo Admin", "admin@demo.invalid"),
    DemoAccount("demo-member", "demo-member-pw", Role.MEMBER, DEMO_ORG, "Demo Member", "member@demo.invalid"),
    DemoAccount("demo-reporter", "demo-reporter-pw", Role.REPORTER, DEMO_ORG, "Demo Reporter", "reporter@demo.invalid"),
    DemoAccount("demo-observer", "demo-observer-pw", Role.OBSERVER, None, "Demo Observer", "observer@demo.invalid"),
)  # fmt: skip


def is_demo_data(settings: Settings) -> bool:
    """Is the published data the synthetic demo (and nothing else)?"""
    ref = snapshots.current(settings)
    if ref is None:
        return False
    with snapshots.open_snapshot(ref.path) as con:
        row = con.execute("SELECT dataset FROM meta").fetchone()
    return row is not None and row[0] == DATASET


def ensure(settings: Settings) -> list[DemoAccount]:
    """Create the demo accounts that are missing; [] (and nothing created) unless the data is the demo."""
    if not is_demo_data(settings):
        return []
    for demo in DEMO_ACCOUNTS:
        if account_store.get_account(settings, demo.username) is None:
            accounts.add_user(
                settings,
                CREATOR,
                username=demo.username,
                password=demo.password,
                role=demo.role,
                org_code=demo.org_code,
                display_name=demo.display_name,
                email=demo.email,
            )
    _list_members(settings)
    return list(DEMO_ACCOUNTS)


def _list_members(settings: Settings) -> None:
    """The About page of the demo lists every fictional member, once (staff may change it after)."""
    if site_settings.about_page(settings) != site_settings.AboutPage(frozenset(), (), ""):
        return
    ref = snapshots.current(settings)
    assert ref is not None  # the demo is published
    with snapshots.open_snapshot(ref.path) as con:
        codes = [
            str(code) for (code,) in con.execute("SELECT code FROM organisation WHERE active_to IS NULL").fetchall()
        ]
    site_settings.set_about_page(settings, CREATOR, codes, "", "coordinator@demo.invalid", codes)
