"""What waits for the coordinator: the workspace home's three lists, from the staff read model.

- pending: uploads members sent for approval;
- missing: active members with nothing received for the period now due (the last
  half-year that has ended for those who report by half-year, the last year for
  those who report by year);
- failed: files refused (or sent while another write ran) in the last FAILED_DAYS days.

Pure functions of DataFrames: the page reads them and renders.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import pandas as pd

from etl.warehouse.staff import RECEIVED, pair_states

FAILED_DAYS = 30
FAILED = ("rejected", "busy")


def due_periods(today: date) -> tuple[str, str]:
    """(half-year, year) that ended last before `today`: what members should have sent by now."""
    half = f"{today.year}H1" if today.month > 6 else f"{today.year - 1}H2"
    return half, str(today.year - 1)


def missing(versions: pd.DataFrame, register: pd.DataFrame, today: date) -> pd.DataFrame:
    """Active members with nothing received for the period due (org_code, period), by organisation."""
    half, year = due_periods(today)
    states = pair_states(versions)
    received = set(zip(*(states.loc[states["state"].isin(RECEIVED), c] for c in ("org_code", "period")), strict=True))
    sends = versions.groupby("org_code")["kind"].agg(lambda kinds: {"Y" if k == "Y" else "H" for k in kinds})
    rows = []
    for code, since, until in register[["code", "active_from", "active_to"]].itertuples(index=False):
        if pd.Timestamp(since).date() > today or (not pd.isna(until) and pd.Timestamp(until).date() < today):
            continue
        kinds = sends.get(code, {"H", "Y"})  # a new member: either would do, so ask for the half-year first
        period = half if "H" in kinds else year
        if (code, period) not in received:
            rows.append((code, period))
    return pd.DataFrame(rows, columns=["org_code", "period"])


def pending(versions: pd.DataFrame) -> pd.DataFrame:
    """Uploads waiting for approval: org_code, period, version, file_name, loaded_by, loaded_at."""
    states = pair_states(versions)
    waiting = states[states["state"] == "pending"][["org_code", "period", "version"]]
    details = versions[["org_code", "period", "version", "file_name", "loaded_by", "loaded_at"]]
    return waiting.merge(details, on=["org_code", "period", "version"], how="left").reset_index(drop=True)


def failed(log: pd.DataFrame, now: datetime) -> pd.DataFrame:
    """Load attempts that changed nothing in the last FAILED_DAYS days, newest first."""
    recent = log["logged_at"] >= now - timedelta(days=FAILED_DAYS)
    hit = (log["action"] == "load") & log["outcome"].isin(FAILED) & recent
    return log[hit].sort_values("logged_at", ascending=False).reset_index(drop=True)


@dataclass(frozen=True)
class Waiting:
    pending: pd.DataFrame
    missing: pd.DataFrame
    failed: pd.DataFrame

    @property
    def nothing(self) -> bool:
        return self.pending.empty and self.missing.empty and self.failed.empty


def waiting(versions: pd.DataFrame, register: pd.DataFrame, log: pd.DataFrame, now: datetime) -> Waiting:
    return Waiting(pending(versions), missing(versions, register, now.date()), failed(log, now))
