"""HTTP routes served beside the Streamlit app (dashboard/server.py): none of them runs a page script.

- `/healthz`: for load balancers and monitoring: 200 with the data version served when its
  snapshot can be read, 503 otherwise (etl.ops.monitor.health). Public: it says only
  which version is served and when it was published.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from etl.config import get_settings
from etl.ops import monitor

HEALTHY, UNAVAILABLE = 200, 503


def healthz(request: Request) -> JSONResponse:
    """A plain function: Starlette runs it in its thread pool, so opening the snapshot blocks no page."""
    answer = monitor.health(get_settings())
    status = HEALTHY if answer.pop("ok") else UNAVAILABLE
    return JSONResponse(answer, status_code=status, headers={"Cache-Control": "no-store"})


ROUTES = [Route("/healthz", healthz, methods=["GET", "HEAD"])]
