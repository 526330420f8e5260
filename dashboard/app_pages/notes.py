"""Notes and sources (coordinator, admin): period notes, series breaks, official reference series.

Staff edit them here (each change an etl.services.context function that checks the caller and
writes one audit row); readers see them with the next data version, made by "Publish the changes".
What is edited comes from the staff read model; what readers see now, from the served snapshot.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pandas as pd
import streamlit as st

from dashboard import auth
from dashboard.app_pages.helpers import notes as helpers
from dashboard.app_pages.helpers.workspace import measure_label
from dashboard.components import page
from dashboard.components.chart import plotly_config
from dashboard.components.workspace import act, read_model_notice, read_model_refresh, show_flash
from dashboard.presenting import charts, specs
from dashboard.presenting.notes import chart_notes
from dashboard.reading import data, protected
from dashboard.state import lang
from etl.codebook import load_codebook
from etl.config import get_settings
from etl.errors import NotFoundError
from etl.i18n import format_date, t
from etl.periods import Period
from etl.services import context
from etl.services.access import STAFF
from etl.warehouse import staff

language = lang()
caller = auth.require_page(*STAFF)
settings = get_settings()
st.title(t("staff_notes.title", language))
st.write(t("staff_notes.intro", language))
show_flash()
snapshot = data.current_snapshot()
if snapshot is None:
    st.info(t("staff_notes.errors.nothing_published", language))
    st.stop()
if not read_model_notice(settings, caller, language):
    st.stop()
try:
    draft = staff.context(settings, caller)
except NotFoundError:  # exported by an earlier release: export it again
    read_model_refresh(settings, caller, language)
    st.stop()
published = {
    "period_notes": data.public_query(snapshot, "published_notes"),
    "reference_series": data.public_query(snapshot, "reference_series"),
    "reference_values": data.public_query(snapshot, "published_reference_values"),
}
measures = list(load_codebook().measures)

# What is not yet published, and publishing it
st.subheader(t("staff_notes.unpublished_title", language))
changes = helpers.unpublished(draft, published, language)
if changes.empty:
    st.success(t("staff_notes.unpublished_none", language, version=str(snapshot.version)))
else:
    st.table(changes, hide_index=True)
    with st.form("notes_publish"):
        note = st.text_input(t("staff_notes.publish_note", language), max_chars=300, key="notes_publish_note")
        if st.form_submit_button(t("staff_notes.publish", language), type="primary"):
            act(
                lambda: context.publish(settings, caller, note.strip()),
                lambda v: (
                    t("staff_notes.published", language, version=str(v))
                    if v
                    else t("staff_notes.published_nothing", language)
                ),
                language,
            )

# The notes as they stand
st.subheader(t("staff_notes.notes_title", language))
notes = draft["period_notes"]
if notes.empty:
    st.info(t("staff_notes.notes_none", language))
else:
    st.dataframe(
        helpers.notes_table(notes, lambda m: measure_label(m, language), language), hide_index=True, width="stretch"
    )

# Write or change a note
st.subheader(t("staff_notes.edit_title", language))
texts = {str(r.id): f"{r.period} · {getattr(r, f'label_{language}')[:70]}" for r in notes.itertuples(index=False)}
chosen = st.selectbox(
    t("staff_notes.edit_choice", language),
    ["", *texts],
    format_func=lambda i: texts.get(i, t("staff_notes.edit_new", language)),
    key="notes_choice",
)
current = notes[notes["id"] == chosen].iloc[0] if chosen else None
last_year = str(date.today().year - 1)  # a new note is most often about the year just reported
periods = [Period(y, h).code for y in range(date.today().year, 2009, -1) for h in (0, 1, 2)]
with st.form(f"note_edit_{chosen or 'new'}"):
    period = st.selectbox(
        t("staff_notes.period", language),
        periods,
        index=periods.index(current["period"] if current is not None and current["period"] in periods else last_year),
    )
    kinds = ["note", "break"]
    kind = st.radio(
        t("staff_notes.kind", language),
        kinds,
        index=kinds.index(current["kind"]) if current is not None else 0,
        format_func=lambda k: t(f"staff_notes.kind_{k}", language),
        horizontal=True,
        help=t("staff_notes.kind_help", language),
    )
    options = ["", *measures]
    measure = st.selectbox(
        t("staff_notes.measure", language),
        options,
        index=options.index(current["measure"]) if current is not None and current["measure"] in measures else 0,
        format_func=lambda m: measure_label(m, language) if m else t("staff_notes.all_measures", language),
    )
    labels = {
        code: st.text_area(
            t(f"staff_notes.text_{code}", language),
            value="" if current is None else str(current[f"label_{code}"]),
            max_chars=600,
        )
        for code in ("fi", "sv", "en")
    }
    if st.form_submit_button(t("staff_notes.save", language), type="primary"):
        edited = context.Note(chosen, period, kind, measure or None, labels["fi"], labels["sv"], labels["en"])
        act(
            lambda: context.save_note(settings, caller, edited),
            lambda i: t("staff_notes.saved", language, id=i),
            language,
        )
if chosen and st.button(t("staff_notes.delete", language), key="note_delete"):
    act(
        lambda: context.delete_note(settings, caller, chosen),
        lambda _: t("staff_notes.deleted", language, id=chosen),
        language,
    )

# Preview: a measure's trend as readers would see it with the notes as they are now
st.subheader(t("staff_notes.preview_title", language))
st.caption(t("staff_notes.preview_intro", language))
default = measures.index(current["measure"]) if current is not None and current["measure"] in measures else 0
shown = st.selectbox(
    t("staff_notes.preview_measure", language),
    measures,
    index=default,
    format_func=lambda m: measure_label(m, language),
    key="notes_preview_measure",
)
ctx = replace(page.context(snapshot, language), period_notes=helpers.as_period_notes(notes))
network = charts.displayed(protected.network(snapshot, protected.View(shown)), language)
preview = helpers.preview(ctx, network, shown, measure_label(shown, language))
if isinstance(preview, specs.Empty):  # every figure hidden: still show the notes the chart would carry
    st.info(preview.reason)
    years = network["year"].unique().tolist() if not network.empty else []
    lines = chart_notes(language, ctx.threshold, breaks=ctx.breaks(shown), remarks=ctx.remarks(shown, years))
else:
    st.plotly_chart(preview.figure, width="stretch", key="notes-preview", config=plotly_config(language))
    lines = preview.notes
st.caption("  \n".join(lines))

# Official reference series: choose one (or a new one), check it, change it


def save_series(code: str, values: dict[str, int], fields: dict[str, str]) -> None:
    """Save what changed (what the series says about itself, its values): each one audited change."""
    if row is None or any(str(row[name]) != text.strip() for name, text in fields.items()):
        context.save_series(settings, caller, context.Series(code, **fields))
    if values != helpers.parse_values(before):
        context.set_values(settings, caller, code, values)


st.subheader(t("staff_notes.reference_title", language))
series_rows = draft["reference_series"]
names = dict(zip(series_rows["series"].astype(str), series_rows[f"label_{language}"].astype(str), strict=True))
picked = st.selectbox(
    t("staff_notes.reference_choice", language),
    [*names, ""],
    format_func=lambda s: names.get(s, t("staff_notes.new_series", language)),
    key="notes_series",
)
row = series_rows[series_rows["series"] == picked].iloc[0] if picked else None
if row is not None and bool(row["verified"]) and pd.notna(row["verified_on"]):
    when = format_date(row["verified_on"], language)
    st.success(t("staff_notes.verified_line", language, who=row["verified_by"], date=when))
elif row is not None:
    st.warning(t("staff_notes.unverified_line", language))
    if st.button(t("staff_notes.verify", language), key="notes_verify"):
        act(
            lambda: context.verify(settings, caller, picked),
            lambda _: t("staff_notes.verified", language, series=picked),
            language,
        )
with st.form(f"series_{picked or 'new'}"):
    code = picked or st.text_input(
        t("staff_notes.series_code", language), max_chars=40, help=t("staff_notes.series_code_help", language)
    )
    fields = {
        name: (st.text_area if name.startswith("not_comparable") else st.text_input)(
            t(f"staff_notes.{name}", language), value="" if row is None else str(row[name])
        )
        for name in helpers.SERIES_FIELDS
    }
    before = helpers.values_text(draft["reference_values"], picked) if picked else ""
    typed = st.text_area(t("staff_notes.values", language), value=before, help=t("staff_notes.values_help", language))
    if st.form_submit_button(t("staff_notes.save_series", language), type="primary"):
        chosen = code.strip().upper()
        act(
            lambda: save_series(chosen, helpers.parse_values(typed), fields),
            lambda _: t("staff_notes.saved_series", language, series=chosen),
            language,
        )
