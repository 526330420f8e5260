"""Streamlit pieces the workspace pages share: messages after an action, the register, the read model."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import pandas as pd
import streamlit as st

from etl.config import Settings
from etl.errors import TilannekuvaError
from etl.i18n import format_date, t
from etl.publish.preview import Preview
from etl.services import workflow
from etl.services.access import ORG_PEOPLE, STAFF, Caller
from etl.warehouse import staff

FLASH_KEY = "_workspace_flash"  # a message to show after the rerun that follows an action
T = TypeVar("T")


def flash(kind: str, text: str) -> None:
    st.session_state[FLASH_KEY] = (kind, text)


def show_flash() -> None:
    message = st.session_state.pop(FLASH_KEY, None)
    if isinstance(message, tuple):
        kind, text = message
        {"success": st.success, "error": st.error, "info": st.info}[kind](text)


def act(action: Callable[[], T], done: Callable[[T], str], lang: str) -> T | None:
    """Run an etl action; on success say so after a rerun (the tables show the new state), else say why."""
    try:
        result = action()
    except TilannekuvaError as error:  # refused, busy, nothing to do: a message for people
        st.error(error.message(lang), icon=":material/error:")
        return None
    flash("success", done(result))
    st.rerun()
    return result  # not reached: st.rerun() ends this run


def read_model_notice(settings: Settings, caller: Caller, lang: str) -> bool:
    """Say when the staff read model is missing (a new or restored data folder); True when it is there."""
    if staff.available(settings):
        when = staff.exported_at(settings, caller) if caller.role in STAFF else None
        if when is not None:
            st.caption(t("workspace.read_model_time", lang, date=format_date(when, lang), time=f"{when:%H:%M:%S}"))
        return True
    read_model_refresh(settings, caller, lang)
    return False


def read_model_refresh(settings: Settings, caller: Caller, lang: str) -> None:
    """Say the staff read model is missing or older than this page (staff may export it again now)."""
    st.info(t("workspace.read_model_missing", lang), icon=":material/hourglass_empty:")
    if caller.role in STAFF and st.button(t("workspace.read_model_refresh", lang), key="staff_refresh"):
        act(lambda: workflow.refresh_read_model(settings, caller), lambda _: t("workspace.read_model_done", lang), lang)


def org_names(frame: pd.DataFrame, lang: str) -> dict[str, str]:
    """Organisation code -> "Name (code)" in the reader's language."""
    return {str(r["code"]): f"{r[f'name_{lang}']} ({r['code']})" for _, r in frame.iterrows()}


def organisations_for(settings: Settings, caller: Caller, lang: str) -> dict[str, str]:
    """The organisations this caller may choose: every one for staff, their own for members."""
    if caller.role in ORG_PEOPLE:
        assert caller.org_code is not None
        names = org_names(staff.organisations(settings, caller), lang) if staff.available(settings) else {}
        return {caller.org_code: names.get(caller.org_code, caller.org_code)}
    if not staff.available(settings):
        return {}
    return org_names(staff.organisations(settings, caller), lang)


def history_table(versions: pd.DataFrame, lang: str, with_org: bool = False) -> pd.DataFrame:
    """Submission versions with who, when and which file, in the reader's language."""
    from dashboard.app_pages.helpers.workspace import status_label

    names = ["period", "version", "status", "loaded_at", "loaded_by", "file_name", "rows", "published", "comment"]
    rows: list[list[Any]] = []
    for r in versions.itertuples(index=False):
        published = "" if pd.isna(r.published_version) else f"v{int(r.published_version)}"
        if not pd.isna(r.ended_version):
            published += f"–v{int(r.ended_version) - 1}"
        rows.append(
            [
                r.period,
                int(r.version),
                status_label(str(r.status), lang),
                f"{format_date(r.loaded_at, lang)} {r.loaded_at:%H:%M}",
                r.loaded_by,
                r.file_name or "",
                int(r.row_count),
                published,
                "" if pd.isna(r.comment) else str(r.comment),
            ]
        )
        if with_org:
            rows[-1].insert(0, r.org_code)
    if with_org:
        names.insert(0, "organisation")
    return pd.DataFrame(rows, columns=[t(f"workspace.history.{name}", lang) for name in names])


def show_preview(shown: Preview, network: pd.DataFrame | None, org: str, period: str, lang: str, key: str) -> None:
    """The exact figures of one upload and the network's protected figures before and after it."""
    from dashboard.app_pages.helpers.workspace import exact_table

    all_rows = st.toggle(t("workspace.preview.show_all", lang), key=key)
    st.markdown(f"**{t('workspace.preview.exact_title', lang, org=org, period=period)}**")
    st.caption(t("workspace.preview.exact_help", lang, count=shown.changed))
    st.dataframe(exact_table(shown, lang, changed_only=not all_rows), hide_index=True, width="stretch")
    st.markdown(f"**{t('workspace.preview.network_title', lang)}**")
    if network is None or shown.after is None:
        st.info(t("workspace.preview.nothing_published", lang))
        return
    st.caption(t("workspace.preview.network_help", lang))
    changed_column = t("workspace.preview.changed", lang)
    rows = network if all_rows else network[network[changed_column]]
    if rows.empty:  # a new period of one member, say: nothing the network shows moves (no empty table)
        st.info(t("workspace.preview.network_unchanged", lang), icon=":material/check:")
        return
    st.dataframe(rows, hide_index=True, width="stretch")


def uploader_words(lang: str, max_mb: int) -> None:
    """Streamlit's file uploader in the reader's language: its button and size line are English only.

    Streamlit has no setting for them, so CSS hides its words and writes ours (the same text
    for screen readers, which read generated content; the upload icon stays).
    """
    choose = _css_text(t("workspace.upload.choose_file", lang))
    limit = _css_text(t("workspace.upload.limit", lang, mb=str(max_mb)))
    st.html(
        "<style>"
        '[data-testid="stFileUploaderDropzone"] button p { font-size: 0; }'
        f'[data-testid="stFileUploaderDropzone"] button p::after {{ content: "{choose}"; font-size: 0.875rem; }}'
        '[data-testid="stFileUploaderDropzoneInstructions"] span { font-size: 0; }'
        f'[data-testid="stFileUploaderDropzoneInstructions"] span::after {{ content: "{limit}"; font-size: 0.75rem; }}'
        "</style>"
    )


def _css_text(text: str) -> str:
    """A string for a CSS `content` value: quotes, backslashes and angle brackets escaped."""
    return "".join(ch if ch.isalnum() or ch in " .,•–-()" else f"\\{ord(ch):x} " for ch in text)


def round_notices(settings: Settings, caller: Caller, org: str, lang: str) -> None:
    """The open reporting rounds, each with its deadline and where `org` stands (etl.services.rounds)."""
    from datetime import date

    from etl.services import rounds

    open_rounds = rounds.open_rounds(settings)
    if not open_rounds or not staff.available(settings):
        return
    versions = staff.submissions(settings, caller, org)
    register = staff.organisations(settings, caller)
    register = register[register["code"] == org]
    for chosen in open_rounds:
        found = rounds.states(chosen, versions, register, date.today())
        if found.empty:
            continue  # not a member during the round's period
        state = str(found.iloc[0]["state"])
        title = t("rounds.member_title", lang, period=chosen.period, deadline=format_date(chosen.deadline, lang))
        body = t(
            "rounds.member_state",
            lang,
            state=t(f"rounds.state_{state}", lang),
            measures=rounds.measures_text(chosen, lang),
        )
        show = {"received": st.success, "late": st.warning}.get(state, st.info)
        show(f"**{title}**  \n{body}", icon=":material/event_upcoming:")
