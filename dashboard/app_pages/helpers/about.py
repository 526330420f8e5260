"""The About page's tables and lists: pure functions of the register and the staff's choices."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date

import pandas as pd

from etl.codebook import Labels
from etl.i18n import t

MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$])")


def listed_members(
    register: pd.DataFrame, listed: Iterable[str], types: dict[str, Labels], lang: str, today: date
) -> pd.DataFrame:
    """The current members the coordinator chose to list: name, type, year joined, by name."""
    chosen = set(listed)
    current = register[
        register["code"].isin(chosen)
        & (register["active_to"].isna() | (pd.to_datetime(register["active_to"]) >= pd.Timestamp(today)))
    ]
    current = current.sort_values([f"name_{lang}", "code"])
    columns = [t(f"about.column_{c}", lang) for c in ("name", "type", "since")]
    rows = [
        (
            str(r[f"name_{lang}"]),
            types[str(r["org_type"])].get(lang) if str(r["org_type"]) in types else str(r["org_type"]),
            str(pd.Timestamp(r["active_from"]).year),
        )
        for _, r in current.iterrows()
    ]
    return pd.DataFrame(rows, columns=columns)


def as_typed(text: str) -> str:
    """Text typed by staff, for Markdown: shown as typed (no emphasis, links of its own or HTML)."""
    return MARKDOWN.sub(r"\\\1", text)


def bullets(lines: Iterable[str]) -> str:
    """Lines typed by staff as a Markdown list."""
    return "\n".join("- " + as_typed(line) for line in lines)
