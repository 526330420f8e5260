"""Workspace home (coordinator, admin): what waits, and where to act on it. Staff land here.

Uploads waiting for approval, members with nothing received for the period now due,
and files refused in the last days (etl.warehouse.staff via helpers/home.py), each
with a link to the page where it is handled.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pandas as pd
import streamlit as st

from dashboard import auth
from dashboard.app_pages.helpers import audit, home
from dashboard.components.workspace import org_names, read_model_notice
from dashboard.state import lang
from etl.config import get_settings
from etl.i18n import format_date, format_int, t
from etl.services.access import STAFF
from etl.warehouse import staff

language = lang()
caller = auth.require_page(*STAFF)
settings = get_settings()
st.title(t("workspace.home.title", language))
st.write(t("workspace.home.intro", language))
if not read_model_notice(settings, caller, language):
    st.stop()

# What waits
now = datetime.now()
versions = staff.submissions(settings, caller)
register = staff.organisations(settings, caller)
log = staff.audit_log(settings, caller, staff.AuditFilter(start=now - timedelta(days=home.FAILED_DAYS)))
found = home.waiting(versions, register, log, now)
names = org_names(register, language)
half, year = home.due_periods(now.date())

counts = st.columns(3)
counts[0].metric(t("workspace.home.pending_count", language), format_int(len(found.pending), language))
counts[1].metric(t("workspace.home.missing_count", language), format_int(len(found.missing), language))
counts[2].metric(
    t("workspace.home.failed_count", language, days=home.FAILED_DAYS), format_int(len(found.failed), language)
)
if found.nothing:
    st.success(t("workspace.home.nothing", language), icon=":material/task_alt:")


def _when(at: object) -> str:
    stamp = pd.Timestamp(at)
    return f"{format_date(stamp, language)} {stamp:%H:%M}"


# 1. Waiting for approval
st.subheader(t("workspace.home.pending_title", language))
if found.pending.empty:
    st.caption(t("workspace.home.pending_none", language))
else:
    column = "workspace.history."
    st.dataframe(
        pd.DataFrame(
            {
                t(column + "organisation", language): [names.get(o, o) for o in found.pending["org_code"]],
                t(column + "period", language): found.pending["period"],
                t(column + "version", language): found.pending["version"].astype(int),
                t(column + "file_name", language): found.pending["file_name"].fillna(""),
                t(column + "loaded_by", language): found.pending["loaded_by"],
                t(column + "loaded_at", language): [_when(at) for at in found.pending["loaded_at"]],
            }
        ),
        hide_index=True,
        width="stretch",
    )
    st.page_link(
        "app_pages/submissions.py", label=t("workspace.home.to_submissions", language), icon=":material/fact_check:"
    )

# 2. Members with nothing received for the period due
st.subheader(t("workspace.home.missing_title", language))
st.caption(t("workspace.home.missing_help", language, half=half, year=year))
if found.missing.empty:
    st.caption(t("workspace.home.missing_none", language))
else:
    st.dataframe(
        pd.DataFrame(
            {
                t("workspace.history.organisation", language): [names.get(o, o) for o in found.missing["org_code"]],
                t("workspace.history.period", language): found.missing["period"],
            }
        ),
        hide_index=True,
        width="stretch",
    )
    st.page_link("app_pages/submissions.py", label=t("workspace.home.to_matrix", language), icon=":material/grid_on:")
st.page_link("app_pages/rounds.py", label=t("workspace.home.to_rounds", language), icon=":material/event_upcoming:")

# 3. Files refused lately
st.subheader(t("workspace.home.failed_title", language, days=home.FAILED_DAYS))
if found.failed.empty:
    st.caption(t("workspace.home.failed_none", language))
else:
    rows = zip(
        found.failed["actor"], found.failed["action"], found.failed["outcome"], found.failed["detail"], strict=True
    )
    st.dataframe(
        pd.DataFrame(
            {
                t("workspace.audit.column_logged_at", language): [_when(at) for at in found.failed["logged_at"]],
                t("workspace.audit.column_what", language): [
                    audit.sentence(str(w), str(a), str(o), audit.detail_of(d), language) for w, a, o, d in rows
                ],
            }
        ),
        hide_index=True,
        width="stretch",
    )
    st.page_link("app_pages/audit_log.py", label=t("workspace.home.to_audit", language), icon=":material/history:")
