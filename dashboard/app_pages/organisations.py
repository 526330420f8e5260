"""Organisations (coordinator, admin): the member register -- add a member, end a membership,
choose what the About page lists.

Each change is an etl.services.workflow function that checks the caller itself and writes
one audit row; the list is read from the staff read model.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from dashboard import auth
from dashboard.components.workspace import act, org_names, read_model_notice, show_flash
from dashboard.state import lang
from etl.codebook import load_codebook
from etl.config import get_settings
from etl.i18n import LANGUAGES, format_date, t
from etl.services import site_settings, workflow
from etl.services.access import STAFF
from etl.warehouse import staff
from etl.warehouse.organisations import Organisation

language = lang()
caller = auth.require_page(*STAFF)
settings = get_settings()
types = load_codebook().org_types
st.title(t("workspace.orgs.title", language))
st.write(t("workspace.orgs.intro", language))
show_flash()

if read_model_notice(settings, caller, language):
    register = staff.organisations(settings, caller)
    columns = ("code", "name", "type", "since", "until")
    table = pd.DataFrame(
        [
            (
                r.code,
                getattr(r, f"name_{language}"),
                types[r.org_type].get(language) if r.org_type in types else r.org_type,
                format_date(r.active_from, language),
                "" if pd.isna(r.active_to) else format_date(r.active_to, language),
            )
            for r in register.itertuples(index=False)
        ],
        columns=[t(f"workspace.orgs.column_{c}", language) for c in columns],
    )
    st.dataframe(table, hide_index=True, width="stretch")
else:
    register = pd.DataFrame(columns=["code", "active_to"])

st.subheader(t("workspace.orgs.add_title", language))
with st.form("org_add", clear_on_submit=False):
    code = st.text_input(t("workspace.orgs.code", language), max_chars=40, help=t("workspace.orgs.code_help", language))
    name_fi = st.text_input(t("workspace.orgs.name_fi", language), max_chars=200)
    name_sv = st.text_input(t("workspace.orgs.name_sv", language), max_chars=200)
    name_en = st.text_input(t("workspace.orgs.name_en", language), max_chars=200)
    org_type = st.selectbox(
        t("workspace.orgs.type", language), list(types), format_func=lambda c: types[c].get(language)
    )
    since = st.date_input(t("workspace.orgs.since", language), value=date(date.today().year, 1, 1), format="DD.MM.YYYY")
    if st.form_submit_button(t("workspace.orgs.add", language), type="primary"):
        new = Organisation(code.strip().lower(), name_fi, name_sv, name_en, str(org_type), since)
        act(
            lambda: workflow.add_organisation(settings, caller, new),
            lambda _: t("workspace.orgs.added", language, org=new.code),
            language,
        )

current = [str(c) for c, until in zip(register["code"], register["active_to"], strict=True) if pd.isna(until)]
if current:
    st.subheader(t("workspace.orgs.end_title", language))
    with st.form("org_deactivate"):
        chosen = st.selectbox(t("workspace.orgs.member", language), current)
        until = st.date_input(t("workspace.orgs.until", language), value=date.today(), format="DD.MM.YYYY")
        if st.form_submit_button(t("workspace.orgs.deactivate", language)):
            act(
                lambda: workflow.deactivate_organisation(settings, caller, str(chosen), until),
                lambda _: t("workspace.orgs.deactivated", language, org=str(chosen), date=format_date(until, language)),
                language,
            )

# The About page: the principles, the members it lists (none until chosen here), partners, whom to ask about joining
st.subheader(t("about.edit_title", language))
st.write(t("about.edit_intro", language))
about = site_settings.about_page(settings)
names = org_names(register, language)
with st.form("about_page"):
    listed = st.multiselect(
        t("about.edit_listed", language),
        current,
        default=sorted(about.listed & set(current)),
        format_func=lambda c: names.get(c, c),
        key="about_listed",
    )
    partners = st.text_area(t("about.edit_partners", language), "\n".join(about.partners), key="about_partners")
    contact = st.text_input(t("about.edit_contact", language), about.contact, max_chars=200, key="about_contact")
    principles = {
        code: st.text_area(
            t(f"about.edit_principles_{code}", language),
            about.principles.get(code, ""),
            max_chars=site_settings.MAX_PRINCIPLES,
            key=f"about_principles_{code}",
        )
        for code in LANGUAGES
    }
    if st.form_submit_button(t("about.edit_save", language)):
        act(
            lambda: site_settings.set_about_page(settings, caller, listed, partners, contact, current, principles),
            lambda _: t("about.saved", language),
            language,
        )
