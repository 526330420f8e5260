"""Navigation by role: each role sees only its pages (and each page checks again itself).

dashboard/app.py lists the pages with the roles that see them; `build` turns that
list into st.Page objects for one caller. A page file that does not exist (yet) is
left out, so the list may name pages other branches add.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import streamlit as st
from streamlit.navigation.page import StreamlitPage

from dashboard.state import PAGE_KEY
from etl.i18n import t
from etl.services.access import OWN_FIGURES, READERS, SIGNED_IN, STAFF, UPLOADERS, Caller, Role

# Not "pages/": Streamlit treats a pages/ folder beside the entry script as the old
# file-based navigation, and until some session has called st.navigation, a deep
# link such as /users would run that page file directly, outside the role menu.
PAGES_DIR = Path(__file__).parent / "app_pages"
LOGIN = "login.py"


@dataclass(frozen=True)
class PageDef:
    file: str  # in dashboard/app_pages/
    title_key: str
    icon: str
    url_path: str
    roles: tuple[Role, ...]  # who sees it in the menu; the page itself calls auth.require_page

    @property
    def path(self) -> Path:
        return PAGES_DIR / self.file


# The situation overview, in menu order. Overview and Trends (and About) are public in public mode.
OVERVIEW_PAGES = (
    PageDef("overview.py", "nav.overview", ":material/dashboard:", "overview", READERS),
    PageDef("trends.py", "nav.trends", ":material/show_chart:", "trends", READERS),
    PageDef("who.py", "nav.who", ":material/groups:", "who", SIGNED_IN),
    PageDef("forms.py", "nav.forms", ":material/category:", "forms", SIGNED_IN),
    PageDef("pathways.py", "nav.pathways", ":material/alt_route:", "pathways", SIGNED_IN),
    PageDef("support.py", "nav.support", ":material/volunteer_activism:", "support", SIGNED_IN),
    PageDef("context.py", "nav.context", ":material/compare_arrows:", "context", SIGNED_IN),
    PageDef("methods.py", "nav.methods", ":material/menu_book:", "methods", SIGNED_IN),
)
DATA_PAGE = PageDef("data_download.py", "exports.dataset_page.nav", ":material/download:", "data", SIGNED_IN)
# The platform's written overview of a period, its figures protected as in the charts: public in public mode.
REPORT_PAGE = PageDef("report.py", "reports.nav", ":material/article:", "report", READERS)
# What the platform is, who its members are, how to join: public in public mode, last in the overview's menu.
ABOUT_PAGE = PageDef("about.py", "nav.about", ":material/diversity_3:", "about", READERS)
# What waits for the coordinator: staff land here (a member lands on the Overview).
HOME_PAGE = PageDef("home.py", "workspace.nav.home", ":material/inbox:", "workspace", STAFF)
# Every page with the roles that see it in the menu (each page also checks the caller itself); the menu shows
# the situation overview (OVERVIEW_PAGES, the data, the report and About) and the workspace (the rest) as two
# sections, in this order.
PAGES = (
    *OVERVIEW_PAGES,
    DATA_PAGE,
    REPORT_PAGE,
    ABOUT_PAGE,
    HOME_PAGE,
    PageDef("my_organisation.py", "workspace.nav.my_org", ":material/home_work:", "my-organisation", OWN_FIGURES),
    PageDef("upload.py", "workspace.nav.upload", ":material/upload_file:", "upload", UPLOADERS),
    PageDef("submissions.py", "workspace.nav.submissions", ":material/fact_check:", "submissions", STAFF),
    PageDef("rounds.py", "rounds.nav", ":material/event_upcoming:", "rounds", STAFF),
    PageDef("notes.py", "staff_notes.nav", ":material/edit_note:", "notes", STAFF),
    PageDef("report_edit.py", "reports.edit_nav", ":material/edit_document:", "report-edit", STAFF),
    PageDef("organisations.py", "workspace.nav.orgs", ":material/apartment:", "organisations", STAFF),
    PageDef("users.py", "accounts.nav_users", ":material/group:", "users", STAFF),
    PageDef("audit_log.py", "workspace.nav.audit", ":material/history:", "audit", STAFF),
)


def visible(pages: tuple[PageDef, ...], caller: Caller | None) -> list[PageDef]:
    """The pages `caller` sees, in menu order; none before sign-in unless public mode is on."""
    if caller is None:
        return []
    return [p for p in pages if caller.role in p.roles and (PAGES_DIR / p.file).is_file()]


def landing_page(chosen: list[PageDef]) -> PageDef | None:
    """The page a caller lands on: the workspace home for staff, else the first page of the menu."""
    return HOME_PAGE if HOME_PAGE in chosen else next(iter(chosen), None)


def build(
    pages: tuple[PageDef, ...], caller: Caller | None, lang: str
) -> list[StreamlitPage] | dict[str, list[StreamlitPage]]:
    """st.Page objects for `caller`, in sections; the first is the default. Visitors also get the sign-in page."""
    chosen = visible(pages, caller)
    landing = landing_page(chosen)
    shown = [
        st.Page(PAGES_DIR / p.file, title=t(p.title_key, lang), icon=p.icon, url_path=p.url_path, default=p == landing)
        for p in chosen
    ]
    if caller is not None and caller.role != Role.PUBLIC:
        overview = {*OVERVIEW_PAGES, DATA_PAGE, REPORT_PAGE, ABOUT_PAGE}
        sections = {
            t("nav.section_overview", lang): [page for p, page in zip(chosen, shown, strict=True) if p in overview],
            t("nav.section_workspace", lang): [
                page for p, page in zip(chosen, shown, strict=True) if p not in overview
            ],
        }
        return {title: section for title, section in sections.items() if section}
    sign_in = t("accounts.nav_login", lang)
    shown.append(
        st.Page(PAGES_DIR / LOGIN, title=sign_in, icon=":material/login:", url_path="login", default=not shown)
    )
    if caller is None:  # a link to any page opens the sign-in page at that address, and the page after sign-in
        shown += [
            st.Page(PAGES_DIR / LOGIN, title=sign_in, url_path=p.url_path)
            for p in pages
            if (PAGES_DIR / p.file).is_file()
        ]
    return shown


def run(pages: tuple[PageDef, ...], caller: Caller | None, lang: str) -> None:
    """Show the menu of `caller`'s pages (none before sign-in) and run the chosen page."""
    # expanded: every page listed, no "View more" button (Streamlit's own words, in English only)
    page = st.navigation(build(pages, caller, lang), position="hidden" if caller is None else "sidebar", expanded=True)
    st.session_state[PAGE_KEY] = page.url_path  # URL-bound widgets seed anew on another page (dashboard/state.py)
    page.run()
