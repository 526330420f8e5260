"""Write the situation report (coordinator, admin): title and sections in fi/sv/en, figures by address.

A draft is saved as it is written (etl.services.reports); "Send for review" hands it to another
staff member, who publishes it or sends it back with a comment. Publishing runs in its own
process (dashboard.exports.report): every figure is made again at the data version served now,
the PDF and DOCX are typeset, and the edition is kept beside the earlier ones.
"""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date

import streamlit as st

from dashboard import auth
from dashboard.app_pages.helpers import report_edit as helpers
from dashboard.app_pages.helpers.workspace import recent_periods
from dashboard.components.workspace import act, flash, show_flash
from dashboard.state import lang
from etl.config import get_settings
from etl.errors import NotFoundError
from etl.i18n import LANGUAGES, t
from etl.publish import reports as editions
from etl.services import reports
from etl.services.access import STAFF

PUBLISH_TIMEOUT_S = 3600  # every figure in three languages: minutes on a large warehouse

language = lang()
caller = auth.require_page(*STAFF)
settings = get_settings()
st.title(t("reports.edit_title", language))
st.write(t("reports.edit_intro", language))
show_flash()

# Which period, and where its report stands
drafted = reports.periods(settings, caller)
choices = list(dict.fromkeys([*drafted, *recent_periods(date.today())]))
period = st.selectbox(t("reports.period", language), choices, key="report_period")
try:
    draft = reports.get(settings, caller, period)
except NotFoundError:
    draft = helpers.blank(period)
st.info(helpers.status_line(draft, language), icon=":material/description:")
if draft.comment:
    st.warning(t("reports.sent_back", language, comment=draft.comment), icon=":material/reply:")

# The text, one tab a language, and the figures
count = st.number_input(
    t("reports.section_count", language), min_value=1, max_value=reports.MAX_SECTIONS,
    value=max(len(draft.sections), 1), key=f"report_sections_{period}",
)  # fmt: skip
with st.form(f"report_{period}"):
    tabs = st.tabs([t(f"reports.tab_{code}", language) for code in LANGUAGES] + [t("reports.tab_figures", language)])
    typed = helpers.Typed()
    for tab, code in zip(tabs, LANGUAGES, strict=False):
        with tab:
            typed.title[code] = st.text_input(
                t("reports.report_title", language), value=draft.title.get(code, ""), key=f"rt_{period}_{code}"
            )
            for n in range(int(count)):
                old = helpers.section(draft, n)
                typed.heading(n)[code] = st.text_input(
                    t("reports.heading", language, number=str(n + 1)), value=old.heading.get(code, ""),
                    key=f"rh_{period}_{n}_{code}",
                )  # fmt: skip
                typed.text(n)[code] = st.text_area(
                    t("reports.text", language, number=str(n + 1)), value=old.text.get(code, ""), height=200,
                    key=f"rx_{period}_{n}_{code}",
                )  # fmt: skip
    with tabs[-1]:
        st.caption(t("reports.figures_help", language))
        for n in range(int(count)):
            typed.figures[n] = st.text_area(
                t("reports.figures", language, number=str(n + 1)),
                value="\n".join(helpers.section(draft, n).figures), key=f"rf_{period}_{n}",
            )  # fmt: skip
    if st.form_submit_button(t("reports.save", language), type="primary"):
        act(
            lambda: reports.save(settings, caller, typed.draft(period, int(count))),
            lambda _: t("reports.saved", language, period=period),
            language,
        )

# The draft as a reader will see its text (the figures are made when it is published)
if draft.sections:
    with st.expander(t("reports.read_draft", language), icon=":material/visibility:"):
        st.markdown(helpers.draft_text(draft, language))

# Review and publication
can_submit = draft.status == "draft" and bool(draft.updated_by)
if can_submit and st.button(t("reports.submit", language), key="report_submit"):
    act(lambda: reports.submit(settings, caller, period), lambda _: t("reports.submitted", language), language)
if draft.status == "review":
    left, right = st.columns(2)
    if left.button(t("reports.publish", language), type="primary", key="report_publish"):
        with st.spinner(t("reports.publishing", language, figures=str(len(draft.figures)))):
            command = [sys.executable, "-m", "dashboard.exports.report", period, "--user", caller.username]
            done = subprocess.run(  # noqa: S603 -- our own module, arguments from the session
                [*command, "--lang", language],
                capture_output=True, text=True, timeout=PUBLISH_TIMEOUT_S, env=os.environ.copy(), check=False,
            )  # fmt: skip
        if done.returncode == 0:
            flash("success", done.stdout.strip())
            st.rerun()
        st.error(done.stderr.strip().splitlines()[-1] if done.stderr.strip() else t("reports.failed", language))
    with right.form("report_return"):
        comment = st.text_area(t("reports.comment", language), max_chars=2000)
        if st.form_submit_button(t("reports.send_back", language)):
            act(
                lambda: reports.send_back(settings, caller, period, comment),
                lambda _: t("reports.returned", language),
                language,
            )

kept = editions.editions(settings, period)
if kept:
    st.subheader(t("reports.editions", language))
    st.table(helpers.editions_table(kept, language), hide_index=True)
