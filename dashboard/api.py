"""/api/v1/: the open data interface (etl.publish.open_data), read-only, versioned and protected.

- `GET /api/v1/`: data versions, measures with their breakdowns, code lists in fi/sv/en, formats.
- `GET /api/v1/data?measure=..&breakdown=..&years=..&version=..&format=csv|json|sdmx&lang=..`:
  the Download page's cells of one table (docs/api.md has examples).

Open to everyone in public mode, else to a browser signed in to the dashboard (its session
cookie) and to scripts with an access token staff issued (`Authorization: Bearer tk_...`).
At most `api_requests_per_minute` requests a minute from one address (a setting, 120 by
default), then 429. An error is JSON
`{"error": ...}` in the asked language (`lang`), saying what to change.
"""

from __future__ import annotations

import json
import threading
import time
from collections import defaultdict, deque

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from etl.config import get_settings
from etl.errors import NotFoundError, TilannekuvaError
from etl.publish import open_data
from etl.services import api_tokens, web_sessions

_recent: dict[str, deque[float]] = defaultdict(deque)
_lock = threading.Lock()


def _lang(request: Request) -> str:
    lang = request.query_params.get("lang", "fi")
    return lang if lang in open_data.LANGS else "fi"


def _error(request: Request, error: TilannekuvaError, status: int) -> Response:
    body = json.dumps({"error": error.message(_lang(request))}, ensure_ascii=False)
    return Response(body, status_code=status, media_type="application/json")


def _refused(request: Request) -> Response | None:
    """Why this request is not answered (429, 401), or None."""
    settings = get_settings()
    address = request.client.host if request.client else "unknown"
    now = time.monotonic()
    with _lock:
        recent = _recent[address]
        while recent and now - recent[0] > 60:
            recent.popleft()
        if len(recent) >= settings.api_requests_per_minute:
            return _error(request, TilannekuvaError("api.rate_limited"), 429)
        recent.append(now)
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if settings.public_mode or (scheme.lower() == "bearer" and api_tokens.valid(settings, token.strip())):
        return None
    if web_sessions.resolve(settings, request.cookies.get(web_sessions.COOKIE, "")):
        return None
    return _error(request, TilannekuvaError("api.sign_in"), 401)


def index(request: Request) -> Response:
    refused = _refused(request)
    if refused is not None:
        return refused
    body = json.dumps(open_data.catalogue(get_settings()), ensure_ascii=False)
    return Response(body, media_type="application/json", headers={"Cache-Control": "private, max-age=60"})


async def data(request: Request) -> Response:
    refused = _refused(request)
    if refused is not None:
        return refused
    settings = get_settings()
    try:
        query = open_data.parse(dict(request.query_params))
        src = open_data.source(settings, query)
        if open_data.in_memory(src):  # a few milliseconds: inline, without a thread hop
            version, body, media = open_data.answer_from(src, query)
        else:  # the version's cells are read first: in a worker thread, never blocking the pages
            version, body, media = await run_in_threadpool(open_data.answer_from, src, query)
    except open_data.BadRequest as error:
        return _error(request, error, 400)
    except NotFoundError as error:
        return _error(request, error, 404)
    headers = {"Cache-Control": "private, max-age=60", "X-Data-Version": str(version)}
    return Response(body, media_type=media, headers=headers)


ROUTES = [Route("/api/v1/", index), Route("/api/v1", index), Route("/api/v1/data", data)]
