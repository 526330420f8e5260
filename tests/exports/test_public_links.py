"""Published figure links (issue 16, point 2): /f/<code> opens an exported figure for anyone.

Real parts: the tiny warehouse's data folder, the export browser for the images, the
routes as Starlette calls them (a running server serves them in tests/e2e/test_access.py).
"""

from __future__ import annotations

import json

import pytest
from starlette.requests import Request
from starlette.responses import Response

from dashboard.components.audited import audited
from dashboard.components.downloads import public_share
from dashboard.exports import public
from dashboard.figure_links import ROUTES
from etl.config import Settings
from etl.i18n import t
from etl.publish import public_figures
from tests.exports.conftest import sample_exports
from tests.workspace.helpers import audit_rows

FAKE = {"figure.png": b"\x89PNG made", "figure.svg": b"<svg/>", "table.csv": b"a,b\n1,2\n"}


def _get(path: str, query: str = "") -> Response:
    """A GET as Starlette routes it (path parameters included)."""
    for route in ROUTES:
        matched, child = route.matches({"type": "http", "path": path, "method": "GET"})
        if matched.name == "FULL":
            scope = {"type": "http", "method": "GET", "path": path, "headers": [], "query_string": query.encode()}
            scope |= {"scheme": "http", "server": ("127.0.0.1", 8501), **child}
            return route.endpoint(Request(scope))
    raise AssertionError(f"no route for {path}")


def _text(response: Response) -> str:
    return bytes(response.body).decode("utf-8")


@pytest.mark.slow
def test_an_exported_figure_opens_for_anyone_with_the_export_bytes(tiny_settings: Settings, export_server):
    exports = sample_exports("sv")
    code = exports.ctx.figure_code
    made = public.files(exports, export_server)
    assert made["table.csv"] == exports.csv()  # the export's own numbers file
    assert made["figure.png"].startswith(b"\x89PNG") and made["figure.svg"].lstrip().startswith(b"<svg")
    assert public_figures.publish(tiny_settings, "test-member", code, "sv", made, public.meta(exports))

    page = _get(f"/f/{code}", "lang=sv")
    html = _text(page)
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert '<html lang="sv">' in html and f"<h1>{exports.spec.title}</h1>" in html
    assert "<td class='n'>&lt;5</td>" in html and "<td class='n'>x</td>" in html  # the table as the export shows it
    assert "Dataversion 7, publicerad" in html
    assert exports.ctx.permalink.replace("&", "&amp;") in html  # back to the dashboard's view
    for name in public_figures.FILES:
        answer = _get(f"/f/{code}/{name}", "lang=sv")
        assert answer.status_code == 200 and bytes(answer.body) == made[name]
    assert _get(f"/f/{code}", "lang=en").status_code == 200  # not public in English: the Swedish page


def test_a_figure_is_kept_once_per_language_and_each_is_one_audit_row(tiny_settings: Settings):
    exports = sample_exports("fi")
    code = exports.ctx.figure_code
    assert public_figures.publish(tiny_settings, "test-member", code, "fi", FAKE, public.meta(exports))
    assert not public_figures.publish(tiny_settings, "test-member", code, "fi", FAKE, public.meta(exports))
    assert public_figures.languages(tiny_settings, code) == ["fi"]
    assert audit_rows(tiny_settings, 0, "figure_public") == [("test-member", "figure_public", "ok")]
    meta = json.loads((tiny_settings.public_figures_dir / code / "fi" / public_figures.META).read_text("utf-8"))
    assert meta["rows"][1][1] == "<5" and meta["version"] == 7


def test_addresses_that_name_no_public_figure_say_so_in_the_asked_language(tiny_settings: Settings):
    for path in ("/f/TK-7-abcdef", "/f/not-a-code", "/f/TK-7-abcdef/figure.png"):
        answer = _get(path, "lang=en")
        assert answer.status_code == 404 and t("exports.public.missing", "en") in _text(answer)
    exports = sample_exports("fi")
    public_figures.publish(tiny_settings, "test-member", exports.ctx.figure_code, "fi", FAKE, public.meta(exports))
    assert _get(f"/f/{exports.ctx.figure_code}/secrets.txt").status_code == 404  # only the three files


def test_public_links_switched_off_keep_nothing_and_open_nothing(tiny_settings: Settings, monkeypatch):
    exports = sample_exports("en")
    code = exports.ctx.figure_code
    public_figures.publish(tiny_settings, "test-member", code, "en", FAKE, public.meta(exports))
    monkeypatch.setenv("TILANNEKUVA_PUBLIC_FIGURE_LINKS", "false")
    answer = _get(f"/f/{code}", "lang=en")
    assert answer.status_code == 404 and t("exports.public.off", "en") in _text(answer)
    assert _get(f"/f/{code}/table.csv").status_code == 404
    other = sample_exports("sv")
    assert not public_share(other)()  # nothing is made while switched off
    assert public_figures.languages(tiny_settings, code) == ["en"]  # what was kept stays for when they are on


@pytest.mark.slow
def test_a_download_makes_its_figure_public(tiny_settings: Settings):
    exports = sample_exports("en")
    download = audited(exports.csv, kind="csv", file_name="x.csv", after=public_share(exports))
    assert download() == exports.csv()
    code = exports.ctx.figure_code
    assert public_figures.read_file(tiny_settings, code, "en", "table.csv") == exports.csv()
    assert [action for _, action, _ in audit_rows(tiny_settings, 0, "export", "figure_public")] == [
        "export",
        "figure_public",
    ]
