"""The dashboard's web server: Streamlit's app (dashboard/app.py) with our routes beside it.

Run it with `python -m streamlit run dashboard/server.py` (Makefile, docs/deployment.md):
Streamlit finds the `App` below and serves the pages, dashboard/routes.py (health, sessions)
dashboard/api.py (the open data interface) and dashboard/figure_links.py (published figures)
together.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from streamlit.starlette import App

from dashboard import api, figure_links, routes
from dashboard.exports import browser


@asynccontextmanager
async def lifespan(_app: Any) -> AsyncIterator[None]:
    """Close the export browser when the server stops.

    Why here and not atexit: on SIGTERM the server (uvicorn) shuts down gracefully and then
    raises the signal again, which ends the process before atexit runs; the browser and its
    temporary folders in /tmp (about 6 MB a start) were left behind.
    """
    yield
    browser.close_shared()


app = App("app.py", routes=[*routes.ROUTES, *api.ROUTES, *figure_links.ROUTES], lifespan=lifespan)
