"""Audit log (coordinator, admin): every sign-in, upload, publication, decision, account change and export.

Read from the staff read model, with rows still waiting in the spool shown as
pending. Filterable by time, actor, action and outcome; the filtered rows download
as CSV through the exports' formula-safe writer (and the download is itself logged).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pandas as pd
import streamlit as st

from dashboard import auth
from dashboard.app_pages.helpers import audit
from dashboard.components.audited import audited
from dashboard.components.workspace import read_model_notice
from dashboard.exports.tables import ExportTable, to_csv
from dashboard.state import lang
from etl.config import get_settings
from etl.i18n import t
from etl.services.access import STAFF
from etl.warehouse import staff

language = lang()
caller = auth.require_page(*STAFF)
settings = get_settings()
st.title(t("workspace.audit.title", language))
st.write(t("workspace.audit.intro", language))
read_model_notice(settings, caller, language)

choices = staff.audit_choices(settings, caller)
today = date.today()
span = st.date_input(
    t("workspace.audit.dates", language),
    value=(today - timedelta(days=30), today),
    max_value=today,
    format="DD.MM.YYYY",
    key="audit_dates",
)
first, last = (span[0], span[-1]) if isinstance(span, tuple) and span else (today - timedelta(days=30), today)
left, middle, right = st.columns(3)
anything = t("workspace.audit.any", language)
actors = left.multiselect(
    t("workspace.audit.actor", language), choices["actor"], key="audit_actors", placeholder=anything
)
actions = middle.multiselect(
    t("workspace.audit.action", language), choices["action"], key="audit_actions", placeholder=anything
)
outcomes = right.multiselect(
    t("workspace.audit.outcome", language), choices["outcome"], key="audit_outcomes", placeholder=anything
)
wanted = staff.AuditFilter(
    start=datetime.combine(first, time.min),
    end=datetime.combine(last + timedelta(days=1), time.min),
    actors=actors or None,
    actions=actions or None,
    outcomes=outcomes or None,
)
log = staff.audit_log(settings, caller, wanted)
pending = int(log["pending"].sum())
st.caption(t("workspace.audit.count", language, count=len(log), pending=pending))

names = ("id", "logged_at", "what", "actor", "action", "outcome", "detail", "pending")
headers = [t(f"workspace.audit.column_{name}", language) for name in names]
rows = zip(log["actor"].astype(str), log["action"].astype(str), log["outcome"].astype(str), log["detail"], strict=True)
said = [audit.sentence(who, what, how, audit.detail_of(detail), language) for who, what, how, detail in rows]
table = pd.DataFrame(
    {
        headers[0]: ["" if pd.isna(i) else str(int(i)) for i in log["id"]],
        headers[1]: [pd.Timestamp(at).strftime("%d.%m.%Y %H:%M:%S") for at in log["logged_at"]],
        headers[2]: said,
        headers[3]: log["actor"].astype(str),
        headers[4]: log["action"].astype(str),
        headers[5]: log["outcome"].astype(str),
        headers[6]: log["detail"].astype(str),
        headers[7]: [t("workspace.audit.pending", language) if p else "" for p in log["pending"]],
    }
)
# On the page, a sentence per row; the download keeps the codes and the sealed detail beside it.
st.dataframe(table.drop(columns=headers[3:7]), hide_index=True, width="stretch")
file_name = f"tilannekuva-audit-{first:%Y%m%d}-{last:%Y%m%d}.csv"
st.download_button(
    t("workspace.audit.download", language),
    data=audited(lambda: to_csv(ExportTable(table)), kind="audit_csv", file_name=file_name, rows=len(table)),
    file_name=file_name,
    mime="text/csv",
    on_click="ignore",
    icon=":material/download:",
    key="audit_download",
)
