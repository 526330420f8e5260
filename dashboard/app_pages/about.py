"""About the platform: its aims, the member organisations the coordinator lists, partners, how to join."""

from __future__ import annotations

from datetime import date

import streamlit as st

from dashboard.app_pages.helpers.about import as_typed, bullets, listed_members
from dashboard.components import page
from dashboard.navigation import READERS
from dashboard.reading import data
from etl.codebook import load_codebook
from etl.config import get_settings
from etl.i18n import t
from etl.services import site_settings

ctx = page.start("about.title", "about.intro", roles=READERS)
lang, snapshot = ctx.lang, ctx.snapshot
chosen = site_settings.about_page(get_settings())

st.subheader(t("about.aims_title", lang))
st.markdown(t("about.aims", lang))

if chosen.principles:  # the text members sign, as the coordinator keeps it
    st.subheader(t("about.principles_title", lang))
    st.markdown(chosen.principles[lang])

st.subheader(t("about.members_title", lang))
register = data.public_query(snapshot, "organisations")
members = listed_members(register, chosen.listed, load_codebook().org_types, lang, date.today())
if members.empty:
    st.info(t("about.no_members_listed", lang))
else:
    st.caption(t("about.members_caption", lang, count=len(members)))
    st.dataframe(members, hide_index=True, width="stretch", height="content")  # every member, no scrolling

if chosen.partners:
    st.subheader(t("about.partners_title", lang))
    st.markdown(bullets(chosen.partners))

st.subheader(t("about.join_title", lang))
st.markdown(t("about.join", lang))
if chosen.contact:
    st.markdown(t("about.contact", lang, contact=as_typed(chosen.contact)))
else:
    st.markdown(t("about.contact_default", lang))
page.footer(ctx)
