"""Coverage and methods: who reported when, what the figures mean, how they are protected, what changed."""

from __future__ import annotations

import streamlit as st

from dashboard.app_pages.helpers import coverage, methods
from dashboard.components import filters, page
from dashboard.components.chart import show
from dashboard.presenting import tables
from dashboard.presenting.figure_spec import FigureSpec
from dashboard.presenting.specs import Chart, Empty
from dashboard.reading import data
from etl import disclosure
from etl.i18n import t

ctx = page.start("methods.title", "methods.intro")
lang, snapshot, vocab = ctx.lang, ctx.snapshot, ctx.vocab

# Coverage: which member reported for which period
with_totals = [m for m in vocab.measure_codes() if vocab.has_total(m)]
left, right = st.columns(2)
measure = filters.choice(
    t("trends.measure", lang),
    with_totals,
    "m",
    "PERS_NEW",
    lambda m: vocab.measure_label(m, lang),
    widget=left.selectbox,
)
kind = filters.choice(
    t("trends.period", lang),
    ["Y", "H"],
    "p",
    "Y",
    lambda k: t(f"trends.period_{k}", lang),
    widget=right.segmented_control,
)
reported = data.public_query(snapshot, "org_coverage", measure=measure)
reported = reported[reported["kind"].isin(["Y"] if kind == "Y" else ["H1", "H2"])]
periods_frame = reported.drop_duplicates("period").sort_values(["year", "kind"])
periods, labels = periods_frame["period"].tolist(), tables.period_labels(periods_frame, lang)
organisations = data.public_query(snapshot, "organisations")
members = organisations.assign(name=organisations[f"name_{lang}"])[["code", "name"]].sort_values("name")
org_names = dict(zip(members["code"], members["name"], strict=True))
chart = Chart(
    "methods.coverage",
    t("methods.coverage_title", lang, measure=vocab.measure_label(measure, lang)),
    page.state("methods"),
)
if periods:
    show(
        FigureSpec(
            figure_id=chart.figure_id,
            title=chart.title,
            subtitle=t("methods.coverage_subtitle", lang),
            figure=coverage.coverage_matrix(reported, members, periods, labels, lang),
            table=methods.coverage_table(reported, members, periods, labels, lang),
            summary=coverage.coverage_summary(reported, members, periods, labels, lang),
            snapshot=snapshot,
            lang=lang,
            notes=[t("methods.coverage_note", lang)],
            view=chart.view,
        )
    )
else:
    show(Empty(chart.figure_id, chart.title, "", t("empty.nobody_reported", lang)))

# Definitions from the codebook
st.header(t("methods.definitions", lang), anchor=False)
st.markdown(methods.measures_text(vocab, lang))
dimension = filters.choice(
    t("methods.dimension", lang),
    vocab.dimension_codes(),
    "d",
    vocab.dimension_codes()[0],
    lambda d: vocab.dimension_label(d, lang),
)
st.dataframe(methods.codes_table(vocab, dimension, lang), hide_index=True, width="stretch", height=300)

# How figures are protected
st.header(t("methods.protection", lang), anchor=False)
st.markdown(disclosure.explain_protection(lang, ctx.threshold, heading=False))
st.markdown(t("methods.protection_pages", lang, threshold=str(ctx.threshold)))
for line in methods.protection_shares(snapshot, lang, ctx.threshold):
    st.markdown(line)

# Series breaks, notes on periods and data versions
st.header(t("methods.breaks", lang), anchor=False)
st.table(methods.breaks_table(ctx.period_notes, vocab, lang), hide_index=True)
st.header(t("methods.remarks", lang), anchor=False)
remarks = methods.remarks_table(ctx.period_notes, vocab, lang)
if remarks.empty:
    st.markdown(t("methods.no_remarks", lang))
else:
    st.markdown(t("methods.remarks_intro", lang))
    st.table(remarks, hide_index=True)
st.header(t("methods.versions", lang), anchor=False)
versions = data.public_query(snapshot, "data_versions")
st.table(methods.versions_table(versions, org_names, lang), hide_index=True)
page.footer(ctx)
