"""Reporting rounds (coordinator, admin): open a round, see who has sent nothing yet, remind them.

Rounds are kept by etl.services.rounds (each change audited); who has sent what comes from
the staff read model, and the contacts from the accounts.
"""

from __future__ import annotations

from datetime import date, timedelta

import streamlit as st

from dashboard import auth
from dashboard.app_pages.helpers import rounds as helpers
from dashboard.app_pages.helpers.workspace import measure_label, recent_periods
from dashboard.components.workspace import act, org_names, read_model_notice, show_flash
from dashboard.state import lang
from etl.codebook import load_codebook
from etl.config import get_settings
from etl.i18n import LANGUAGES, format_date, format_int, t
from etl.services import accounts, rounds
from etl.services.access import STAFF
from etl.warehouse import staff

language = lang()
caller = auth.require_page(*STAFF)
settings = get_settings()
today = date.today()
st.title(t("rounds.title", language))
st.write(t("rounds.intro", language))
show_flash()

# Open a round
st.subheader(t("rounds.open_title", language))
with st.form("round_open"):
    period = st.selectbox(t("rounds.period", language), recent_periods(today), key="round_period")
    deadline = st.date_input(
        t("rounds.deadline", language), value=today + timedelta(days=30), format="DD.MM.YYYY", key="round_deadline"
    )
    codes = list(load_codebook().measures)
    measures = st.multiselect(
        t("rounds.measures", language),
        codes,
        default=codes,
        format_func=lambda m: measure_label(m, language),
        key="round_measures",
    )
    if st.form_submit_button(t("rounds.open", language), type="primary", help=t("rounds.open_help", language)):
        act(
            lambda: rounds.open_round(settings, caller, str(period), deadline, measures),
            lambda r: t("rounds.opened", language, period=r.period, deadline=format_date(r.deadline, language)),
            language,
        )

# The open rounds: who has sent nothing yet, their contacts, a reminder
open_rounds = rounds.open_rounds(settings)
if not open_rounds:
    st.info(t("rounds.none_open", language))
    st.stop()
if not read_model_notice(settings, caller, language):
    st.stop()
versions = staff.submissions(settings, caller)
register = staff.organisations(settings, caller)
names = org_names(register, language)
users = accounts.list_users(settings, caller)


def show_round(chosen: rounds.Round) -> None:
    """One open round: its members' states, the contacts of those who sent nothing, a reminder."""
    st.subheader(t("rounds.round_title", language, period=chosen.period))
    deadline_text = format_date(chosen.deadline, language)
    st.caption(
        t("rounds.deadline_line", language, deadline=deadline_text, measures=rounds.measures_text(chosen, language))
    )
    found = rounds.states(chosen, versions, register, today)
    count = {state: format_int(int((found["state"] == state).sum()), language) for state in rounds.STATES}
    st.write(t("rounds.counts", language, **count))
    st.dataframe(helpers.state_table(found, names, language), hide_index=True, width="stretch", height="content")
    people = helpers.contacts(found, users, names, language)
    if people.empty:
        st.caption(t("rounds.contacts_none", language))
    else:
        st.download_button(
            t("rounds.contacts", language),
            people.to_csv(index=False, sep=";").encode("utf-8-sig"),  # opens in Excel with Finnish settings
            file_name=f"tilannekuva-{chosen.period}-contacts.csv",
            mime="text/csv",
            key=f"round_contacts_{chosen.period}",
        )
    wording = st.segmented_control(
        t("rounds.reminder_lang", language),
        list(LANGUAGES),
        default=language,
        format_func=lambda code: code.upper(),
        key=f"round_reminder_{chosen.period}",
    )
    st.caption(t("rounds.reminder_title", language))
    st.code(rounds.reminder_text(chosen, wording or language), language=None, wrap_lines=True)
    addresses = list(people[t("rounds.column_email", language)]) if not people.empty else []
    if addresses and settings.smtp_host and settings.smtp_sender:  # e-mail only where a mail server is set
        label = t("rounds.send", language, count=len(set(addresses)))
        if st.button(label, key=f"round_send_{chosen.period}", icon=":material/mail:"):
            act(
                lambda: rounds.send_reminders(settings, caller, chosen, addresses, wording or language),
                lambda sent: t("rounds.sent", language, count=sent),
                language,
            )
    if st.button(t("rounds.close", language), key=f"round_close_{chosen.period}"):
        act(
            lambda: rounds.close_round(settings, caller, chosen.period),
            lambda _: t("rounds.closed", language, period=chosen.period),
            language,
        )


for chosen in open_rounds:
    show_round(chosen)
