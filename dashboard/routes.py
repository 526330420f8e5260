"""HTTP routes served beside the Streamlit app (dashboard/server.py): none of them runs a page script.

- `/healthz`: for load balancers and monitoring: 200 with the data version served when its
  snapshot can be read, 503 otherwise (etl.ops.monitor.health). Public: it says only
  which version is served and when it was published.
- `/session/open?grant=..`: the page just signed in asks this in the background with a
  one-time grant (etl.services.web_sessions); the answer sets the session cookie (HttpOnly,
  SameSite=Lax, Secure behind HTTPS). A page script cannot set an HttpOnly cookie; a route can.
- `/session/close`: sign-out's second half: the cookie is cleared (the session itself is
  already ended in the store, so a copied cookie opens nothing).
Both answer 204; with `next=<path>` (a link followed by hand) they go there instead, a path
of this site only (never another site: no open redirect).
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from etl.config import get_settings
from etl.ops import monitor
from etl.services import web_sessions

HEALTHY, UNAVAILABLE = 200, 503
COOKIE = web_sessions.COOKIE
SEE_OTHER, NO_CONTENT = 303, 204


def healthz(request: Request) -> JSONResponse:
    """A plain function: Starlette runs it in its thread pool, so opening the snapshot blocks no page."""
    answer = monitor.health(get_settings())
    status = HEALTHY if answer.pop("ok") else UNAVAILABLE
    return JSONResponse(answer, status_code=status, headers={"Cache-Control": "no-store"})


def _next(request: Request) -> str:
    """Where to go back to: a path of this site, else its front page."""
    wanted = request.query_params.get("next", "/")
    return wanted if wanted.startswith("/") and not wanted.startswith(("//", "/\\")) else "/"


def _secure(request: Request) -> bool:
    """Behind HTTPS (directly, or at the proxy that says so): the cookie is never sent in the clear."""
    return request.url.scheme == "https" or request.headers.get("x-forwarded-proto", "").lower() == "https"


def _answer(request: Request) -> Response:
    """Back to `next` when a person followed a link, else no content (the page asked in the background)."""
    if "next" in request.query_params:
        return RedirectResponse(_next(request), status_code=SEE_OTHER, headers={"Cache-Control": "no-store"})
    return Response(status_code=NO_CONTENT, headers={"Cache-Control": "no-store"})


def open_session(request: Request) -> Response:
    settings = get_settings()
    token = web_sessions.open_session(settings, request.query_params.get("grant", ""))
    answer = _answer(request)
    if token is not None:
        answer.set_cookie(
            COOKIE,
            token,
            max_age=settings.session_days * 86_400,
            path="/",
            httponly=True,
            samesite="lax",
            secure=_secure(request),
        )
    return answer


def close_session(request: Request) -> Response:
    web_sessions.close(get_settings(), request.cookies.get(COOKIE, ""))
    answer = _answer(request)
    answer.delete_cookie(COOKIE, path="/", httponly=True, samesite="lax", secure=_secure(request))
    return answer


ROUTES = [
    Route("/healthz", healthz, methods=["GET", "HEAD"]),
    Route("/session/open", open_session, methods=["GET"]),
    Route("/session/close", close_session, methods=["GET"]),
]
