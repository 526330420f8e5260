"""The dashboard's pages and who may see them, read from the list in dashboard/app.py.

app.py is a Streamlit script (importing it would run it), so its PAGES tuple is read
with the ast module. Pages whose file does not exist (yet) are left out, as the
menu leaves them out, so the journeys follow the pages other branches add.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

from dashboard import auth
from dashboard.navigation import PAGES_DIR
from etl.access import Role
from etl.i18n import t
from tests.e2e.server import ROOT


@dataclass(frozen=True)
class AppPage:
    file: str
    title_key: str
    url_path: str
    roles: tuple[Role, ...]

    def title(self, lang: str) -> str:
        return t(self.title_key, lang)


def app_pages() -> list[AppPage]:
    tree = ast.parse((ROOT / "dashboard" / "app.py").read_text(encoding="utf-8"))
    pages = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "PageDef":
            file, title_key, _icon, url_path = (ast.literal_eval(arg) for arg in node.args[:4])
            roles = node.args[4]
            assert isinstance(roles, ast.Attribute), ast.dump(roles)
            if (PAGES_DIR / file).is_file():
                pages.append(AppPage(file, title_key, url_path, getattr(auth, roles.attr)))
    assert pages, "no pages found in dashboard/app.py"
    return pages


def visible_to(role: Role) -> list[AppPage]:
    return [p for p in app_pages() if role in p.roles]


def hidden_from(role: Role) -> list[AppPage]:
    return [p for p in app_pages() if role not in p.roles]
