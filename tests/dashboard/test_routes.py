"""The routes beside the pages (dashboard/routes.py), called as Starlette calls them, on real data folders.

A running server answers /healthz in tests/e2e/test_access.py.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from starlette.requests import Request

from dashboard.routes import ROUTES
from etl.config import Settings
from etl.publish import snapshots
from tests.helpers import use_data_dir


def _get(path: str) -> tuple[int, dict[str, str], object]:
    """(status, headers, JSON body) of a GET to the route at `path`, with the request Starlette would build."""
    (route,) = [route for route in ROUTES if route.path == path]
    request = Request({"type": "http", "method": "GET", "path": path, "headers": [], "query_string": b""})
    response = route.endpoint(request)
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
