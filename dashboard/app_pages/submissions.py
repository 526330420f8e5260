"""Submissions (coordinator, admin): who has reported for which period, every version, and the decisions.

Read from the staff read model (no writer lock); every action is an etl.services.workflow
function that checks the caller itself and publishes a new data version when it
changes what is public.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from dashboard import auth
from dashboard.app_pages.helpers import home, workspace
from dashboard.components.workspace import (
    act,
    flash,
    history_table,
    org_names,
    read_model_notice,
    show_flash,
    show_preview,
)
from dashboard.presenting import theme
from dashboard.state import lang
from etl.config import get_settings
from etl.errors import TilannekuvaError
from etl.i18n import t
from etl.periods import parse_period
from etl.publish import preview
from etl.services import workflow
from etl.services.access import STAFF
from etl.warehouse import staff

language = lang()
caller = auth.require_page(*STAFF)
settings = get_settings()
st.title(t("workspace.submissions.title", language))
st.write(t("workspace.submissions.intro", language))
show_flash()
if not read_model_notice(settings, caller, language):
    st.stop()

versions = staff.submissions(settings, caller)
register = staff.organisations(settings, caller)
names = org_names(register, language)
states = staff.pair_states(versions)

# The matrix: organisation x period
today = date.today()
due_year = int(home.due_periods(today)[0][:4])  # the year of the half-year due now: its column shows who is missing
years = sorted({int(y) for y in versions["year"]} | {due_year})
first, last = (years[0], years[-1]) if len(years) > 1 else (years[0], years[0])
if first < last:
    first, last = st.select_slider(
        t("workspace.submissions.years", language), options=years, value=(years[max(0, len(years) - 2)], last)
    )
periods = [
    p
    for year in range(first, last + 1)
    for p in (f"{year}H1", f"{year}H2", str(year))
    if (parsed := parse_period(p)) is not None and parsed.end < today  # only periods that have ended
]
waiting = states[states["state"] == "pending"]
if not waiting.empty:
    st.warning(t("workspace.submissions.waiting", language, count=len(waiting)), icon=":material/pending_actions:")
cells = {(r.org_code, r.period): r for r in states.itertuples(index=False)}
active = [
    code
    for code, since, until in register[["code", "active_from", "active_to"]].itertuples(index=False)
    if since.year <= last and (pd.isna(until) or until.year >= first)
]


# The kinds of period each member sends (half-years, years): a year of a half-yearly member is not missing.
kinds = versions.groupby("org_code")["kind"].agg(lambda k: set(k.map(lambda x: "Y" if x == "Y" else "H"))).to_dict()


def _cell(org: str, period: str) -> str:
    found = cells.get((org, period))
    if found is None:
        sends = kinds.get(org)
        expected = not sends or ("Y" if period.isdigit() else "H") in sends
        return workspace.state_label("missing", language) if expected else ""
    label = workspace.state_label(found.state, language)
    return label if found.state == "missing" else f"{label} · v{found.version}"


matrix = pd.DataFrame(
    [[names.get(org, org), *(_cell(org, p) for p in periods)] for org in active],
    columns=[t("workspace.history.organisation", language), *periods],
)
# What needs the coordinator stands out: nothing received, or waiting for approval.
fills = {
    workspace.state_label("missing", language): theme.MISSING_FILL,
    workspace.state_label("pending", language): theme.PENDING_FILL,
}


def _fill(label: str) -> str:
    fill = next((colour for state, colour in fills.items() if str(label).startswith(state)), None)
    return f"background-color: {fill}" if fill else ""


styled = matrix.style.map(_fill, subset=periods)
st.dataframe(styled, hide_index=True, width="stretch", height=35 * (len(matrix) + 1) + 3)  # every member at once
st.caption(t("workspace.submissions.legend", language))

# One organisation and period: its versions and what can be done
PREVIEW_KEY = "_subs_preview"  # (org, period, version) -> (preview, network table): this session's only


def approval_preview(org: str, period: str, version: int) -> tuple[preview.Preview, pd.DataFrame | None] | None:
    kept = st.session_state.get(PREVIEW_KEY)
    if kept and kept[0] == (org, period, version):
        return kept[1]
    return None


def _forget_preview() -> None:
    kept = st.session_state.pop(PREVIEW_KEY, None)
    if kept:
        preview.discard(kept[1][0])


def _build_preview(chosen_org: str, chosen_period: str) -> None:
    """The approval preview of the chosen pair's pending upload (a button's callback: runs before the page)."""
    _forget_preview()
    try:
        pending, version = workflow.pending_cells(settings, caller, chosen_org, chosen_period)
        built = preview.build(settings, caller, chosen_org, chosen_period, pending, version)
        table = workspace.network_changes(built, language)
    except TilannekuvaError as error:
        flash("error", error.message(language))
        return
    st.session_state[PREVIEW_KEY] = ((chosen_org, chosen_period, version), (built, table))


def _approve(note: str) -> int:
    version = workflow.approve(settings, caller, org, period, note.strip() or None)
    _forget_preview()
    return version


st.subheader(t("workspace.submissions.pair_title", language))
left, right = st.columns(2)
org = left.selectbox(
    t("workspace.upload.organisation", language), list(names), format_func=names.__getitem__, key="subs_org"
)
known = sorted(
    set(versions.loc[versions["org_code"] == org, "period"]),
    key=lambda p: (p2.start, p2.end) if (p2 := parse_period(p)) else (date.min, date.min),
    reverse=True,
)
waiting_here = [p for p in known if (org, p) in cells and cells[(org, p)].state == "pending"]
period = right.selectbox(  # newest first; an upload waiting for approval first of all
    t("workspace.upload.period", language),
    known,
    index=known.index(waiting_here[0]) if waiting_here else 0,
    key=f"subs_period:{org}",  # per organisation: another one's choice would otherwise stick
)
if org is None or period is None:
    st.info(t("workspace.submissions.nothing_yet", language))
    st.stop()
pair = versions[(versions["org_code"] == org) & (versions["period"] == period)]
state = cells[(org, period)].state if (org, period) in cells else "missing"
st.markdown(t("workspace.submissions.state", language, state=workspace.state_label(state, language)))
st.dataframe(history_table(pair, language), hide_index=True, width="stretch")

if state == "pending":
    # What approving changes, before anyone decides: the preview the upload page shows, built on request.
    shown = approval_preview(org, period, cells[(org, period)].version)
    if shown is None:
        st.button(
            t("workspace.submissions.preview", language),
            key="subs_preview",
            on_click=_build_preview,
            args=(org, period),
        )
    else:
        preview_obj, network = shown
        show_preview(preview_obj, network, org, period, language, key="subs_preview_all")
    with st.form("subs_approve"):
        note = st.text_input(t("workspace.submissions.note", language), max_chars=300)
        sure = st.checkbox(t("workspace.upload.confirm", language, org=org, period=period))
        if st.form_submit_button(t("workspace.submissions.approve", language), type="primary"):
            if not sure:
                st.error(t("workspace.submissions.confirm_first", language))
            else:
                act(
                    lambda: _approve(note),
                    lambda v: (
                        t("workspace.submissions.approved", language, org=org, period=period, version=str(v))
                        + "\n\n"
                        + t("workspace.upload.published_link", language, version=str(v), language=language)
                    ),
                    language,
                )
    with st.form("subs_return"):
        comment = st.text_area(t("workspace.submissions.comment", language), max_chars=2000)
        if st.form_submit_button(t("workspace.submissions.return", language)):
            act(
                lambda: workflow.return_submission(settings, caller, org, period, comment),
                lambda _: t("workspace.submissions.returned", language, org=org, period=period),
                language,
            )

if (pair["status"] == "published").any():
    with st.form("subs_withdraw"):
        st.markdown(t("workspace.submissions.withdraw_help", language))
        reason = st.text_input(t("workspace.submissions.note", language), max_chars=300)
        sure = st.checkbox(t("workspace.submissions.withdraw_confirm", language))
        if st.form_submit_button(t("workspace.submissions.withdraw", language)):
            if not sure:
                st.error(t("workspace.submissions.confirm_first", language))
            else:
                act(
                    lambda: workflow.withdraw(settings, caller, org, period, reason.strip() or None),
                    lambda v: t("workspace.submissions.withdrawn", language, org=org, period=period, version=str(v)),
                    language,
                )

earlier = [
    int(v) for v, s in zip(pair["version"], pair["status"], strict=True) if s not in ("published", "draft", "pending")
]
if earlier and state != "pending":
    with st.form("subs_restore"):
        st.markdown(t("workspace.submissions.restore_help", language))
        chosen = st.selectbox(t("workspace.submissions.restore_version", language), earlier)
        note = st.text_input(t("workspace.submissions.note", language), max_chars=300, key="subs_restore_note")
        if st.form_submit_button(t("workspace.submissions.restore", language)):
            act(
                lambda: workflow.restore(settings, caller, org, period, int(chosen), note.strip() or None),
                lambda done: t(
                    "workspace.submissions.restored",
                    language,
                    org=org,
                    period=period,
                    old=str(chosen),
                    new=str(done[1]),
                    version=str(done[0]),
                ),
                language,
            )
