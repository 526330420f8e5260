"""The dashboard's pages: one file each in dashboard/app_pages, listed here in menu order.

A plain list, so that navigation can later be filtered by role (the accounts
issue) and tests can walk every page.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

PAGES_DIR = Path(__file__).parent / "app_pages"


@dataclass(frozen=True)
class PageDef:
    file: str  # in dashboard/app_pages (not "pages": Streamlit would run a folder of that name as old-style pages)
    title_key: str  # message key of the menu title
    icon: str
    url_path: str

    @property
    def path(self) -> Path:
        return PAGES_DIR / self.file


PAGES = [
    PageDef("overview.py", "nav.overview", ":material/dashboard:", "overview"),
    PageDef("trends.py", "nav.trends", ":material/show_chart:", "trends"),
    PageDef("who.py", "nav.who", ":material/groups:", "who"),
    PageDef("forms.py", "nav.forms", ":material/category:", "forms"),
    PageDef("pathways.py", "nav.pathways", ":material/alt_route:", "pathways"),
    PageDef("support.py", "nav.support", ":material/volunteer_activism:", "support"),
    PageDef("context.py", "nav.context", ":material/compare_arrows:", "context"),
    PageDef("methods.py", "nav.methods", ":material/menu_book:", "methods"),
]
