"""My organisation (members, reporters; staff pick one): own exact figures beside the network's protected ones.

The exact figures come from gate.restricted, which checks the caller; they are
never cached. The submission history comes from etl.warehouse.staff.submissions, which
gives members their own organisation's versions only.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import auth
from dashboard.app_pages.helpers import workspace
from dashboard.components.version_notice import version_notice
from dashboard.components.workspace import history_table, org_names, round_notices
from dashboard.reading import data, gate
from dashboard.state import lang
from etl.codebook import TOTAL, load_codebook
from etl.config import get_settings
from etl.i18n import format_int, t
from etl.services.access import ORG_PEOPLE, OWN_FIGURES
from etl.warehouse import staff

language = lang()
caller = auth.require_page(*OWN_FIGURES)
settings = get_settings()
book = load_codebook()
st.title(t("workspace.my_org.title", language))
st.write(t("workspace.my_org.intro", language))

snapshot = data.view_snapshot()
if snapshot is None:
    st.info(t("common.no_data_yet", language))
    st.stop()
version_notice(snapshot, language)
register = data.public_query(snapshot, "organisations")
names = org_names(register, language)
if caller.role in ORG_PEOPLE:
    assert caller.org_code is not None
    org = caller.org_code
    st.subheader(names.get(org, org))
    round_notices(settings, caller, org, language)
else:
    org = st.selectbox(
        t("workspace.upload.organisation", language), list(names), format_func=names.__getitem__, key="myorg_org"
    )
if org is None:
    st.stop()

# What to compare
measures = sorted(book.measures, key=lambda m: book.measures[m].sort)
left, middle, right = st.columns(3)
measure = left.selectbox(
    t("workspace.preview.measure", language), measures, format_func=lambda m: workspace.measure_label(m, language)
)
assert measure is not None
one_way = [(d1, d2) for d1, d2 in book.breakdowns[measure] if d2 == TOTAL]
breakdown = middle.selectbox(
    t("workspace.preview.breakdown", language),
    one_way,
    format_func=lambda pair: workspace.breakdown_label(pair[0], pair[1], language),
)
assert breakdown is not None
halves = right.toggle(t("workspace.my_org.half_years", language), key="myorg_halves")
view = gate.View(measure, breakdown[0], breakdown[1], half_years=halves)

own = gate.restricted(snapshot, caller, org, view)  # exact: checks the caller; never cached
network = gate.network(snapshot, view)
both = network.merge(own[["period", "code1", "code2", "value"]], on=["period", "code1", "code2"], how="left")
both = both.rename(columns={"value_y": "own", "value_x": "value"}).sort_values(["year", "kind", "code1"])
shown = gate.display(both, language)
table = pd.DataFrame(
    {
        t("workspace.history.period", language): both["period"],
        t("workspace.preview.category", language): [
            workspace.category_label(view.dim1, c1, view.dim2, c2, language)
            for c1, c2 in zip(both["code1"], both["code2"], strict=True)
        ],
        t("workspace.my_org.own", language): ["" if pd.isna(v) else format_int(int(v), language) for v in both["own"]],
        t("workspace.my_org.network", language): shown.to_numpy(),
        t("workspace.my_org.members", language): [format_int(int(m), language) for m in both["members"]],
    }
)
st.dataframe(table.iloc[::-1], hide_index=True, width="stretch")
st.caption(t("workspace.my_org.caveat", language))
symbols = gate.legend(network, language)  # the network column shows `<5` / `x` for hidden cells
if symbols:
    st.caption(symbols)

# Submission history
st.subheader(t("workspace.my_org.history", language))
if not staff.available(settings):
    st.info(t("workspace.read_model_missing", language))
else:
    history = staff.submissions(settings, caller, org)
    if history.empty:
        st.info(t("workspace.my_org.no_history", language))
    else:
        st.dataframe(history_table(history, language), hide_index=True, width="stretch")
