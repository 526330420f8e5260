"""The dashboard's web server: Streamlit's app (dashboard/app.py) with our routes beside it.

Run it with `python -m streamlit run dashboard/server.py` (Makefile, docs/deployment.md):
Streamlit finds the `App` below and serves the pages, dashboard/routes.py (health, sessions)
dashboard/api.py (the open data interface) and dashboard/figure_links.py (published figures)
together.
"""

from __future__ import annotations

from streamlit.starlette import App

from dashboard import api, figure_links, routes

app = App("app.py", routes=[*routes.ROUTES, *api.ROUTES, *figure_links.ROUTES])
