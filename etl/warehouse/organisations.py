"""The member register kept by the coordinator."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import duckdb

from etl.errors import InputError, NotFoundError
from etl.sqlfiles import transaction
from etl.warehouse import audit


@dataclass(frozen=True)
class Organisation:
    code: str
    name_fi: str
    name_sv: str
    name_en: str
    org_type: str
    active_from: date
    active_to: date | None = None

    def name(self, lang: str) -> str:
        return str(getattr(self, f"name_{lang}", self.name_fi))


def record(org: Organisation) -> dict[str, str | None]:
    """The audit detail of an addition: everything a rebuild needs to add the organisation again."""
    return {
        "org": org.code,
        "name_fi": org.name_fi,
        "name_sv": org.name_sv,
        "name_en": org.name_en,
        "org_type": org.org_type,
        "active_from": org.active_from.isoformat(),
        "active_to": org.active_to.isoformat() if org.active_to else None,
    }


def from_record(detail: dict[str, str | None]) -> Organisation:
    active_to = detail.get("active_to")
    return Organisation(
        str(detail["org"]),
        str(detail["name_fi"]),
        str(detail["name_sv"]),
        str(detail["name_en"]),
        str(detail["org_type"]),
        date.fromisoformat(str(detail["active_from"])),
        date.fromisoformat(active_to) if active_to else None,
    )


def add(con: duckdb.DuckDBPyConnection, org: Organisation, actor: str, recorded: audit.Recorded | None = None) -> None:
    exists = con.execute("SELECT 1 FROM organisation WHERE code = ?", [org.code]).fetchone()
    if exists:
        raise InputError("orgs.exists", org=org.code)
    known_type = con.execute("SELECT 1 FROM org_type WHERE code = ?", [org.org_type]).fetchone()
    if not known_type:
        raise InputError("orgs.unknown_type", org_type=org.org_type)
    now = recorded.logged_at if recorded else datetime.now()
    with transaction(con):
        con.execute(
            "INSERT INTO organisation VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                org.code,
                org.name_fi,
                org.name_sv,
                org.name_en,
                org.org_type,
                org.active_from,
                org.active_to,
                now,
            ],
        )
        if recorded is not None:
            audit.append_recorded(con, recorded)
        else:
            audit.append(con, actor, "org_add", "ok", record(org), logged_at=now)


def list_all(con: duckdb.DuckDBPyConnection) -> list[Organisation]:
    rows = con.execute(
        "SELECT code, name_fi, name_sv, name_en, org_type, active_from, active_to FROM organisation ORDER BY code"
    ).fetchall()
    return [Organisation(*row) for row in rows]


def deactivate(
    con: duckdb.DuckDBPyConnection, code: str, until: date, actor: str, recorded: audit.Recorded | None = None
) -> None:
    row = con.execute("SELECT active_from FROM organisation WHERE code = ?", [code]).fetchone()
    if row is None:
        raise NotFoundError("orgs.not_found", org=code)
    with transaction(con):
        con.execute("UPDATE organisation SET active_to = ? WHERE code = ?", [until, code])
        if recorded is not None:
            audit.append_recorded(con, recorded)
        else:
            audit.append(con, actor, "org_deactivate", "ok", {"org": code, "active_to": until.isoformat()})
