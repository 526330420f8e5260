"""The situation report: the platform's yearly (or half-yearly) overview, text beside its figures.

Every reader sees the published editions (public in public mode, like the Overview); each
figure is the dashboard's own export at the edition's data version, so small counts are
hidden exactly as in the charts. An earlier edition stays readable; PDF and DOCX downloads
are audited like every export.
"""

from __future__ import annotations

import streamlit as st

from dashboard.app_pages.helpers import report as helpers
from dashboard.components import page
from dashboard.components.audited import audited
from dashboard.navigation import READERS
from etl.config import get_settings
from etl.i18n import format_date, t
from etl.publish import reports

ctx = page.start("reports.title", "reports.intro", roles=READERS)
language, settings = ctx.lang, get_settings()

# Which edition
kept = reports.editions(settings)
if not kept:
    st.info(t("reports.none", language))
    page.footer(ctx)
    st.stop()
labels = {helpers.edition_key(e): helpers.edition_label(e, language) for e in kept}
chosen_key = st.selectbox(
    t("reports.choose", language), list(labels), format_func=lambda key: labels[key], key="report_edition"
)
edition = next(e for e in kept if helpers.edition_key(e) == chosen_key)
if edition is not kept[0] and edition.period == kept[0].period:
    st.warning(t("reports.older_edition", language), icon=":material/history:")

# The report: title, downloads, sections with their figures
content = edition.content
st.header(content["title"][language], anchor=False)
st.caption(
    t("reports.edition_line", language, version=str(edition.version), date=format_date(edition.published_at, language))
)
for column, kind in zip(st.columns(2), ("pdf", "docx"), strict=True):
    name = helpers.file_name(edition, language, kind)
    column.download_button(
        t(f"reports.download_{kind}", language),
        data=audited(
            helpers.file_maker(edition, f"report.{language}.{kind}"),
            kind=f"report_{kind}",
            file_name=name,
            version=edition.version,
            lang=language,
        ),
        file_name=name,
        mime=helpers.MIME[kind],
        on_click="ignore",
        key=f"report-{kind}",
    )
number = 0
for section in content["sections"]:
    st.subheader(section["heading"][language], anchor=False)
    st.markdown(section["text"][language])
    for _ in section["figures"]:
        number += 1
        figure = helpers.figure(edition, number, language)
        st.markdown(f"**{t('reports.figure', language, number=str(number))} {figure.title}**")
        st.caption(figure.subtitle)
        st.image(figure.png, alt=figure.alt, width="stretch")
        st.markdown(figure.alt)  # the one-sentence summary a chart carries, for every reader
        with st.expander(t("common.show_table", language)):
            st.dataframe(figure.table, hide_index=True, width="stretch")
        st.caption("  \n".join([*figure.notes, figure.citation]))
page.footer(helpers.edition_context(ctx, edition, settings))  # the one data version this page names: its figures'
