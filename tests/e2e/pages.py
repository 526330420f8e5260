"""The dashboard's pages and who may see them: the list in dashboard/navigation.py.

Pages whose file does not exist (yet) are left out, as the menu leaves them out,
so the journeys follow the pages other branches add.
"""

from __future__ import annotations

from dashboard.navigation import PAGES, PAGES_DIR, PageDef
from etl.i18n import t
from etl.services.access import Role


def title(page: PageDef, lang: str) -> str:
    return t(page.title_key, lang)


def app_pages() -> list[PageDef]:
    pages = [p for p in PAGES if (PAGES_DIR / p.file).is_file()]
    assert pages, "no pages found in dashboard/navigation.py"
    return pages


def visible_to(role: Role) -> list[PageDef]:
    return [p for p in app_pages() if role in p.roles]


def hidden_from(role: Role) -> list[PageDef]:
    return [p for p in app_pages() if role not in p.roles]
