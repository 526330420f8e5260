"""Upload wizard (coordinator, reporter): template, upload, problems, preview, publish or submit.

Every step is an etl function that checks the caller itself (etl.services.workflow,
etl.publish.preview); this page only calls them. The preview lives in this session's
state only, never in a cache that sessions share.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from dashboard import auth
from dashboard.app_pages.helpers import workspace
from dashboard.app_pages.helpers.workspace import Wizard
from dashboard.components.audited import audited
from dashboard.components.workspace import (
    act,
    flash,
    organisations_for,
    read_model_notice,
    show_flash,
    show_preview,
    uploader_words,
)
from dashboard.state import lang
from etl.config import get_settings
from etl.errors import TilannekuvaError
from etl.i18n import t
from etl.publish import preview
from etl.services import workflow
from etl.services.access import UPLOADERS, Role

STATE_KEY = "_workspace_upload"  # this session's upload and preview
ROUND_KEY = "_workspace_upload_round"  # a new file uploader after each finished upload


def _forget() -> None:
    """Drop this session's upload and delete its preview file."""
    old = st.session_state.pop(STATE_KEY, None)
    if isinstance(old, Wizard):
        old.discard()


def _preview_of(wizard: Wizard, shown: str) -> tuple[preview.Preview, pd.DataFrame | None]:
    """The preview of one period of the upload, built the first time it is asked for."""
    if shown not in wizard.previews:
        part = wizard.upload.parts[shown]
        built = preview.build(settings, caller, wizard.upload.org_code, shown, part.cells, part.version)
        bar = st.progress(0.0)

        def moved(share: float, text: str) -> None:
            bar.progress(share, text)

        network = workspace.network_changes(built, language, moved)
        bar.empty()
        wizard.previews[shown] = (built, network)
    return wizard.previews[shown]


def _finished(message: str) -> str:
    _forget()
    st.session_state[ROUND_KEY] = st.session_state.get(ROUND_KEY, 0) + 1
    return message


language = lang()
caller = auth.require_page(*UPLOADERS)
settings = get_settings()
st.title(t("workspace.upload.title", language))
st.write(t(f"workspace.upload.intro_{'reporter' if caller.role == Role.REPORTER else 'staff'}", language))
show_flash()

# 1. Organisation, period and template
st.subheader(t("workspace.upload.step_choose", language))
choices = organisations_for(settings, caller, language)
if not choices:
    read_model_notice(settings, caller, language)
    st.stop()
left, right = st.columns(2)
org = left.selectbox(
    t("workspace.upload.organisation", language),
    options=list(choices),
    format_func=choices.__getitem__,
    key="upload_org",
    disabled=caller.role == Role.REPORTER,
)
period = right.selectbox(  # one period, or every period a file of the organisation holds (H1, H2 and the year)
    t("workspace.upload.period", language),
    [workflow.EVERY_PERIOD, *workspace.recent_periods(date.today(), years=10)],
    index=1,
    format_func=lambda code: t("workspace.upload.every_period", language) if code == workflow.EVERY_PERIOD else code,
    key="upload_period",
)
assert org is not None and period is not None
name = choices[org].rsplit(" (", 1)[0]
template_name = f"tilannekuva-{org}-{period}-{language}.xlsx"
if period == workflow.EVERY_PERIOD:
    st.caption(t("workspace.upload.every_period_help", language))
else:
    st.download_button(
        t("workspace.upload.template", language),
        data=audited(
            lambda: workflow.template_bytes(settings, caller, org, period, language, name),
            kind="template",
            file_name=template_name,
            org=org,
            period=period,
        ),
        file_name=template_name,
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        on_click="ignore",
        icon=":material/download:",
        key="upload_template",
    )
    st.caption(t("workspace.upload.template_help", language))

# 2. Upload and check
st.subheader(t("workspace.upload.step_upload", language))
wizard = st.session_state.get(STATE_KEY)
if isinstance(wizard, Wizard) and (wizard.upload.org_code, wizard.upload.period) != (org, period):
    _forget()  # another organisation or period chosen: that upload's preview no longer applies
    wizard = None
uploader_words(language, settings.max_upload_mb)
uploaded = st.file_uploader(
    t("workspace.upload.file", language),
    type=["csv", "xlsx"],  # a convenience for the file dialog; the etl screening decides what a file is
    key=f"upload_file_{st.session_state.get(ROUND_KEY, 0)}",
    help=t("workspace.upload.file_help", language, mb=settings.max_upload_mb),
)
if st.button(t("workspace.upload.check", language), key="upload_check", type="primary", disabled=uploaded is None):
    assert uploaded is not None
    _forget()
    with st.status(t("workspace.upload.checking", language), expanded=True) as status:

        def step(stage: str, **info: object) -> None:
            status.write(t(f"workspace.upload.stage_{stage}", language))

        try:
            done = workflow.upload(settings, caller, uploaded.getvalue(), uploaded.name, org, period, step)
            wizard = Wizard(done)
            if done.ok:
                status.write(t("workspace.upload.stage_preview", language))
                _preview_of(wizard, done.periods[0])
        except TilannekuvaError as error:  # busy, refused
            status.update(label=error.message(language), state="error")
            st.stop()
        st.session_state[STATE_KEY] = wizard
        ok = wizard.upload.ok
        status.update(
            label=t(f"workspace.upload.{'checked' if ok else 'rejected_short'}", language),
            state="complete" if ok else "error",
            expanded=False,
        )

# 3. Problems, or the preview and the last step
if not isinstance(wizard, Wizard):
    st.stop()
upload = wizard.upload
errors = [p for p in upload.problems if p.severity == "error"]
if not upload.ok:
    st.error(t("workspace.upload.rejected", language, file=upload.result.file_name, count=len(errors)))
    if upload.result.personal_data:
        st.warning(t("contrib.outcome_personal", language))
    st.dataframe(workspace.problem_table(upload.problems, language), hide_index=True, width="stretch")
    st.info(t("workspace.upload.fix_and_retry", language), icon=":material/edit_note:")
    st.stop()

st.subheader(t("workspace.upload.step_preview", language))
periods = upload.periods
if len(periods) == 1:
    outcome = "unchanged" if upload.result.outcome == "unchanged" else "loaded"
    said = t(
        f"workspace.upload.{outcome}",
        language,
        file=upload.result.file_name,
        version=str(upload.parts[periods[0]].version),
        org=org,
        period=periods[0],
    )
else:
    versions = ", ".join(f"{code} (v{part.version})" for code, part in upload.parts.items())
    said = t("workspace.upload.loaded_many", language, file=upload.result.file_name, org=org, periods=versions)
st.success(said)
if upload.result.warnings:
    st.warning(t("workspace.upload.warnings", language, count=len(upload.result.warnings)))
    st.dataframe(workspace.problem_table(upload.result.warnings, language), hide_index=True, width="stretch")
shown = periods[0]
if len(periods) > 1:  # one period's preview at a time: each is protected anew
    shown = st.selectbox(t("workspace.upload.preview_period", language), periods, key="upload_preview_period")
    assert shown is not None
built, network = _preview_of(wizard, shown)
show_preview(built, network, org, shown, language, key="preview_all")

# 4. Publish (staff) or submit for approval (reporter): every period of the upload not yet decided
st.subheader(t("workspace.upload.step_finish", language))
drafts = [code for code, part in upload.parts.items() if part.status == "draft"]
named = ", ".join(drafts)
if not drafts and any(part.status == "pending" for part in upload.parts.values()):
    key = "already_pending" if caller.role == Role.REPORTER else "pending_use_submissions"
    st.info(t(f"workspace.upload.{key}", language))
elif not drafts:
    published = ", ".join(str(part.version) for part in upload.parts.values())
    st.info(t("workspace.upload.already_published", language, version=published))
elif caller.role == Role.REPORTER:
    if st.button(t("workspace.upload.submit", language), key="upload_submit", type="primary"):
        act(
            lambda: [workflow.submit(settings, caller, org, code) for code in drafts],
            lambda done: _finished(
                t(
                    "workspace.upload.submitted",
                    language,
                    org=org,
                    period=named,
                    version=", ".join(str(each["version"]) for each in done),
                )
            ),
            language,
        )
else:
    note = st.text_input(t("workspace.upload.note", language), key="upload_note", max_chars=300)
    # Publishing goes out to every member (and the public in public mode) at once: asked, not one click.
    sure = st.checkbox(t("workspace.upload.confirm", language, org=org, period=named), key="upload_confirm")
    if st.button(t("workspace.upload.publish", language), key="upload_publish", type="primary", disabled=not sure):
        act(
            lambda: workflow.publish_upload(settings, caller, org, drafts, note.strip() or None),
            lambda version: _finished(
                t("workspace.upload.published", language, org=org, period=named, version=str(version))
                + "\n\n"
                + t("workspace.upload.published_link", language, version=str(version), language=language)
            ),
            language,
        )
if st.button(t("workspace.upload.start_again", language), key="upload_again"):
    flash("info", _finished(t("workspace.upload.cleared", language)))
    st.rerun()
