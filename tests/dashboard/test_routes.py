"""The routes beside the pages (dashboard/routes.py), called as Starlette calls them, on real data folders.

A running server answers /healthz in tests/e2e/test_access.py.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from starlette.requests import Request
from starlette.responses import Response

from dashboard.routes import COOKIE, ROUTES
from etl.config import Settings
from etl.publish import snapshots
from etl.services import web_sessions
from etl.services.access import Role
from tests.helpers import use_data_dir
from tests.signin import make_account


def _call(path: str, query: str = "", headers: dict[str, str] | None = None) -> Response:
    """A GET to the route at `path`, with the request Starlette would build from the browser's."""
    (route,) = [route for route in ROUTES if route.path == path]
    raw = [(name.lower().encode(), value.encode()) for name, value in (headers or {}).items()]
    scope = {"type": "http", "method": "GET", "path": path, "headers": raw, "query_string": query.encode()}
    scope |= {"scheme": "http", "server": ("127.0.0.1", 8501)}
    return route.endpoint(Request(scope))


def _get(path: str) -> tuple[int, dict[str, str], object]:
    """(status, headers, JSON body) of a GET to the route at `path`."""
    response = _call(path)
    return response.status_code, dict(response.headers), json.loads(bytes(response.body))


def test_healthz_names_the_version_served(tiny_settings: Settings):
    served = snapshots.current(tiny_settings)
    assert served is not None
    status, headers, body = _get("/healthz")
    assert (status, body) == (
        200,
        {"status": "ok", "version": served.version, "published_at": served.published_at.isoformat()},
    )
    assert headers["cache-control"] == "no-store"


def test_healthz_is_unavailable_before_anything_is_published(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    use_data_dir(tmp_path / "empty", monkeypatch)
    status, _, body = _get("/healthz")
    assert (status, body) == (503, {"status": "nothing_published"})


def test_healthz_is_unavailable_when_the_served_snapshot_cannot_be_read(tiny_settings: Settings):
    served = snapshots.current(tiny_settings)
    assert served is not None
    served.path.write_bytes(b"not a database")
    status, _, body = _get("/healthz")
    assert (status, body) == (503, {"status": "snapshot_unreadable", "version": served.version})


def _cookie_of(response: Response) -> str:
    (cookie,) = [value for name, value in response.headers.items() if name == "set-cookie"]
    return cookie


def test_a_grant_sets_an_httponly_lax_cookie_of_a_live_session_and_goes_back_to_the_page(settings):
    make_account(settings, Role.COORDINATOR)
    grant = web_sessions.grant(settings, "test-coordinator")
    answer = _call("/session/open", f"grant={grant}&next=%2Ftrends%3Fm%3DPERS_NEW%26lang%3Dsv")
    assert (answer.status_code, answer.headers["location"]) == (303, "/trends?m=PERS_NEW&lang=sv")
    cookie = _cookie_of(answer)
    attributes = {part.strip().split("=")[0].lower() for part in cookie.split(";")}
    assert {"httponly", "path", "samesite", "max-age"} <= attributes and "secure" not in attributes
    assert "samesite=lax" in cookie.lower() and "path=/" in cookie.lower()
    token = cookie.split(";")[0].removeprefix(f"{COOKIE}=")
    account = web_sessions.resolve(settings, token)
    assert account is not None and account.username == "test-coordinator"


def test_behind_https_the_cookie_is_secure(settings):
    make_account(settings, Role.COORDINATOR)
    grant = web_sessions.grant(settings, "test-coordinator")
    answer = _call("/session/open", f"grant={grant}", {"X-Forwarded-Proto": "https"})
    assert "secure" in _cookie_of(answer).lower()


@pytest.mark.parametrize(
    "next_", ["https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)"]
)
def test_a_spent_or_made_up_grant_sets_no_cookie_and_no_link_leaves_the_site(settings, next_):
    make_account(settings, Role.COORDINATOR)
    grant = web_sessions.grant(settings, "test-coordinator")
    assert web_sessions.open_session(settings, grant) is not None  # spent
    for made in (grant, "made-up"):
        answer = _call("/session/open", f"grant={made}&next={next_}")
        assert (answer.status_code, answer.headers["location"]) == (303, "/")
        assert "set-cookie" not in answer.headers


def test_closing_clears_the_cookie_and_ends_the_session(settings):
    make_account(settings, Role.COORDINATOR)
    token = web_sessions.open_session(settings, web_sessions.grant(settings, "test-coordinator"))
    assert token is not None
    answer = _call("/session/close", "next=%2Fwho", {"Cookie": f"{COOKIE}={token}"})
    assert (answer.status_code, answer.headers["location"]) == (303, "/who")
    assert "max-age=0" in _cookie_of(answer).lower()
    assert web_sessions.resolve(settings, token) is None


def test_asked_in_the_background_the_answer_is_no_content_with_the_cookie(settings):
    make_account(settings, Role.COORDINATOR)
    answer = _call("/session/open", f"grant={web_sessions.grant(settings, 'test-coordinator')}")
    assert answer.status_code == 204 and COOKIE in _cookie_of(answer)
    assert _call("/session/close").status_code == 204
