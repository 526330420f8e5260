"""The Reporting rounds page's tables and texts: pure functions of a round, its states and the accounts."""

from __future__ import annotations

import pandas as pd

from etl.i18n import t
from etl.services.access import ORG_PEOPLE
from etl.services.account_store import Account

ORDER = {"late": 0, "waiting": 1, "received": 2, "yearly": 3}  # who to remind first
UNSENT = ("late", "waiting")


def state_table(found: pd.DataFrame, names: dict[str, str], lang: str) -> pd.DataFrame:
    """Organisation and state in words, the late first, then by name."""
    rows = sorted(
        ((names.get(o, o), s) for o, s in found[["org_code", "state"]].itertuples(index=False)),
        key=lambda row: (ORDER[row[1]], row[0]),
    )
    return pd.DataFrame(
        [(name, t(f"rounds.state_{state}", lang)) for name, state in rows],
        columns=[t("rounds.column_org", lang), t("rounds.column_state", lang)],
    )


def contacts(found: pd.DataFrame, users: list[Account], names: dict[str, str], lang: str) -> pd.DataFrame:
    """The people (members and reporters with an address) of each organisation that has sent nothing."""
    unsent = set(found.loc[found["state"].isin(UNSENT), "org_code"])
    rows = sorted(
        (names.get(a.org_code, a.org_code), a.display_name or a.username, a.email)
        for a in users
        if a.org_code is not None and a.role in ORG_PEOPLE and a.org_code in unsent and a.email and not a.disabled
    )
    columns = [t(f"rounds.column_{c}", lang) for c in ("org", "name", "email")]
    return pd.DataFrame(rows, columns=columns)
