"""The export menu under every chart: images, numbers, citation, permalink, alt text, statement pack.

`download_menu(spec)` is the one call; render_chart calls it. Files are made
when a button is clicked (deferred downloads run without session state, so each
one closes over plain values), except the statement pack, which is built with
visible progress and then offered for download.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from typing import Any

import streamlit as st

from dashboard.components.audited import audited, current_actor
from dashboard.exports import browser, public
from dashboard.exports.alt_text import draft_alt_text
from dashboard.exports.citation import long_citation, short_citation
from dashboard.exports.furniture import DEFAULT_PRESET, PRESETS
from dashboard.exports.images import MIME
from dashboard.exports.pack import Exports, build_pack
from dashboard.exports.provenance import app_root, build_context
from dashboard.presenting.figure_spec import FigureSpec
from dashboard.reading import data
from etl.config import get_settings
from etl.errors import TilannekuvaError
from etl.i18n import t
from etl.publish import public_figures

log = logging.getLogger(__name__)
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _synthetic(spec: FigureSpec) -> bool:
    meta = data.public_query(spec.snapshot, "snapshot_meta")
    return not meta.empty and meta.iloc[0]["dataset"] == "synthetic-demo"


def exports_at(spec: FigureSpec, root: str, today: date) -> Exports:
    """The export values of a spec for an app at `root` on `today` (the page's and the command line's)."""
    ctx = build_context(spec, root=root, today=today, synthetic=_synthetic(spec))
    ctx = replace(ctx, public_links=public_figures.enabled(get_settings()))  # the coordinator's switch
    return Exports.of(spec, ctx)


def exports_for(spec: FigureSpec) -> Exports:
    """The export values of a spec as this session sees it (its address, today's date)."""
    return exports_at(spec, app_root(st.context.url, spec.view.get("page", "")), date.today())


def about(exports: Exports) -> dict[str, Any]:
    """What an export's audit row says about the figure: which one, which data version, which language."""
    return {"figure": exports.spec.figure_id, "version": exports.ctx.version, "lang": exports.ctx.lang}


def _image_renderer(exports: Exports, fmt: str, preset: str) -> Callable[[], bytes]:
    def render() -> bytes:
        return exports.image(browser.shared_server(), fmt, preset)

    return render


def public_share(exports: Exports, actor: str | None = None) -> Callable[[], bool]:
    """Keep the figure for its public address, once per code and language; True when it opens there.

    Read now (who, which settings), run later: by a download's callable, the Cite tab's button or
    the command-line export. `actor`: the account it is done for (default: the signed-in user).
    """
    settings, actor = get_settings(), actor or current_actor()
    code, lang = exports.ctx.figure_code, exports.ctx.lang

    def share() -> bool:
        if not public_figures.enabled(settings):
            return False
        if not public_figures.is_public(settings, code, lang):
            made = public.files(exports, browser.shared_server())
            public_figures.publish(settings, actor, code, lang, made, public.meta(exports))
        return public_figures.is_public(settings, code, lang)

    return share


def _images(exports: Exports, key: str, share: Callable[[], bool]) -> str:
    lang = exports.ctx.lang
    preset = st.segmented_control(
        t("exports.menu.preset", lang),
        options=list(PRESETS),
        default=DEFAULT_PRESET,
        format_func=lambda name: t(f"exports.preset.{name}", lang),
        required=True,
        key=f"{key}-preset",
    )
    preset = preset if preset in PRESETS else DEFAULT_PRESET
    if not browser.warm_up():
        st.info(browser.BrowserMissing().message(lang), icon=":material/image_not_supported:")
        return preset
    columns = st.columns(3)
    for column, fmt in zip(columns, ("png", "svg", "pdf"), strict=True):
        name = exports.name(fmt, preset)
        column.download_button(
            t(f"exports.menu.{fmt}", lang),
            data=audited(
                _image_renderer(exports, fmt, preset), kind=fmt, file_name=name, after=share, **about(exports)
            ),
            file_name=name,
            mime=MIME[fmt],
            on_click="ignore",
            key=f"{key}-{fmt}",
            icon=":material/image:",
        )
    return preset


def _numbers(exports: Exports, key: str, share: Callable[[], bool]) -> None:
    lang = exports.ctx.lang
    files = (
        ("csv", exports.csv, exports.name("csv"), "text/csv"),
        ("excel_csv", exports.excel_csv, exports.name("excel.csv"), "text/csv"),
        ("xlsx", exports.xlsx, exports.name("xlsx"), XLSX_MIME),
    )
    for column, (kind, make, name, mime) in zip(st.columns(3), files, strict=True):
        column.download_button(
            t(f"exports.menu.{kind}", lang),
            data=audited(make, kind=kind, file_name=name, after=share, **about(exports)),
            file_name=name,
            mime=mime,
            on_click="ignore",
            key=f"{key}-{kind}",
            icon=":material/table:",
        )


def _cite(exports: Exports, key: str, share: Callable[[], bool]) -> None:
    ctx = exports.ctx
    lang = ctx.lang
    # The coordinator's switch is read once for the menu (exports_at); a citation names the public
    # link only once the figure opens there, so a citation copied from here never leads nowhere.
    public = ctx.public_links and public_figures.is_public(get_settings(), ctx.figure_code, lang)
    cited = replace(ctx, public_links=public)
    st.caption(t("exports.citation_short_label", lang))
    st.code(short_citation(exports.spec, cited), language=None, wrap_lines=True)
    st.caption(t("exports.citation_long_label", lang))
    st.code(long_citation(exports.spec, cited), language=None, wrap_lines=True)
    st.caption(t("exports.menu.permalink_help", lang))
    st.code(ctx.permalink, language=None, wrap_lines=True)
    st.caption(t("exports.menu.figure_code", lang, code=ctx.figure_code))
    if ctx.public_links:
        _public_link(exports, key, share, public)


def _public_link(exports: Exports, key: str, share: Callable[[], bool], public: bool) -> None:
    """The address that opens the figure without sign-in, and a button that makes it now."""
    lang = exports.ctx.lang
    st.caption(t("exports.public.link_help", lang))
    st.code(exports.ctx.public_link, language=None, wrap_lines=True)
    if public:
        st.caption(t("exports.public.made", lang))
        return
    st.caption(t("exports.public.not_made", lang))
    if st.button(t("exports.public.make", lang), key=f"{key}-public", icon=":material/public:"):
        try:
            made = share()
        except TilannekuvaError as error:
            st.error(error.message(lang))
            return
        except Exception:
            log.exception("the public link of %s", exports.ctx.figure_code)
            made = False
        if made:
            st.rerun()  # the citations above now name the public link
        st.error(t("exports.public.failed", lang))


def _alt_text(exports: Exports, key: str) -> str:
    lang = exports.ctx.lang
    draft = draft_alt_text(exports.spec, exports.table, exports.ctx)
    text = st.text_area(
        t("exports.menu.alt_text", lang),
        value=draft,
        help=t("exports.menu.alt_text_help", lang),
        key=f"{key}-alt-{lang}-{exports.ctx.version}",
    )
    name = f"{exports.spec.figure_id}-alt-text.txt"
    st.download_button(
        t("exports.menu.alt_download", lang),
        data=audited((text.strip() + "\n").encode("utf-8"), kind="alt_text", file_name=name, **about(exports)),
        file_name=name,
        mime="text/plain",
        on_click="ignore",
        key=f"{key}-alt-download",
    )
    return text


def _pack(exports: Exports, alt_text: str, preset: str, key: str, share: Callable[[], bool]) -> None:
    lang = exports.ctx.lang
    st.caption(t("exports.menu.pack_help", lang))
    state_key = f"{key}-pack-bytes"
    # A pack built for another language, version, preset or alt text is stale.
    wanted = (lang, exports.ctx.version, exports.ctx.figure_code, preset, alt_text)
    if st.button(t("exports.menu.pack_build", lang), key=f"{key}-pack-build", icon=":material/folder_zip:"):
        with st.status(t("exports.progress.building", lang), expanded=True) as status:
            bar = st.progress(0.0)
            server = None
            if browser.find_browser() is not None:
                try:
                    bar.progress(0.0, t("exports.progress.browser", lang))
                    server = browser.shared_server()
                except TilannekuvaError as error:
                    st.warning(error.message(lang))
            else:
                st.info(browser.BrowserMissing().message(lang))

            def progress(fraction: float, label: str) -> None:
                bar.progress(fraction, label)

            zipped = build_pack(exports, alt_text, server, preset, progress)
            st.session_state[state_key] = (wanted, zipped)
            status.update(label=t("exports.progress.done", lang), state="complete", expanded=False)
    built = st.session_state.get(state_key)
    if built and built[0] == wanted:
        st.download_button(
            t("exports.menu.pack_download", lang),
            data=audited(built[1], kind="pack", file_name=exports.name("zip"), after=share, **about(exports)),
            file_name=exports.name("zip"),
            mime="application/zip",
            on_click="ignore",
            key=f"{key}-pack-download",
            type="primary",
            icon=":material/download:",
        )


def download_menu(spec: FigureSpec) -> None:
    """Everything needed to quote this figure: images, numbers, citation, permalink, alt text, pack."""
    lang = spec.lang
    key = f"exp-{spec.figure_id}"
    exports = exports_for(spec)
    share = public_share(exports)
    with st.expander(t("exports.menu.title", lang), icon=":material/ios_share:"):
        image_tab, numbers_tab, cite_tab, alt_tab, pack_tab = st.tabs(
            [t(f"exports.menu.tab_{name}", lang) for name in ("image", "numbers", "cite", "alt", "pack")]
        )
        with image_tab:
            preset = _images(exports, key, share)
        with numbers_tab:
            _numbers(exports, key, share)
        with cite_tab:
            _cite(exports, key, share)
        with alt_tab:
            alt_text = _alt_text(exports, key)
        with pack_tab:
            _pack(exports, alt_text, preset, key, share)
