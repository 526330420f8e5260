"""Fixtures for the export tests: a tiny hand-made FigureSpec per language and one shared export browser."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import pytest

import dashboard.presenting.theme  # noqa: F401  (registers the chart template)
from dashboard.exports.browser import ExportServer
from dashboard.exports.pack import Exports
from dashboard.exports.provenance import ExportContext, build_context
from dashboard.presenting.figure_spec import FigureSpec
from etl.config import Settings
from etl.publish.snapshots import SnapshotRef

RETRIEVED = date(2026, 11, 28)
PUBLISHED = datetime(2026, 3, 15, 10, 30)
ROOT = "https://tilannekuva.example.fi"

# The displayed table of the sample figure, as a page shows it, per language.
HEADERS = {
    "fi": ["Vuosi", "Uudet asiakkaat", "Osuus", "Muutos", "Huomautus"],
    "sv": ["År", "Nya klienter", "Andel", "Förändring", "Anmärkning"],
    "en": ["Year", "New clients", "Share", "Change", "Note"],
}
TITLES = {
    "fi": ("Uudet asiakkaat vuosittain", "Verkoston jäsenten uudet asiakkaat, 2023–2025"),
    "sv": ("Nya klienter per år", "Nätverksmedlemmarnas nya klienter, 2023–2025"),
    "en": ("New clients per year", "New clients of the network's members, 2023–2025"),
}
CELLS = [
    ["2023", "1\u00a0234", "12,5\u00a0%", "\u22123", "ok"],
    ["2024", "<5", "..", "15", ""],
    ["2025", "x", "8\u00a0%", "0", "a, b"],
]


def sample_spec(
    lang: str,
    cells: list[list[str]] | None = None,
    notes: list[str] | None = None,
    headers: list[str] | None = None,
) -> FigureSpec:
    title, subtitle = TITLES[lang]
    table = pd.DataFrame(cells or CELLS, columns=headers or HEADERS[lang])
    values = [1234, None, None]
    figure = go.Figure(go.Bar(x=[2023, 2024, 2025], y=values, text=["1 234", "", ""]))
    figure.update_layout(template="tilannekuva", title={"text": title})
    return FigureSpec(
        figure_id="test.sample",
        title=title,
        subtitle=subtitle,
        figure=figure,
        table=table,
        summary=title,
        snapshot=SnapshotRef(7, Path("/nonexistent/v00007/tilannekuva.duckdb"), PUBLISHED),
        lang=lang,
        notes=notes if notes is not None else [f"{title}: note"],
        view={"page": "overview", "lang": lang, "measure": "PERS_NEW", "exploitation_form": "LAB,SEX"},
        members_reported="9–11",
        measure="PERS_NEW",
        dimensions=("exploitation_form",),
    )


def sample_context(spec: FigureSpec) -> ExportContext:
    return build_context(spec, root=ROOT, today=RETRIEVED, settings=Settings(data_dir=Path("/nonexistent")))


def sample_exports(lang: str, **kwargs) -> Exports:
    spec = sample_spec(lang, **kwargs)
    return Exports.of(spec, sample_context(spec))


@pytest.fixture(scope="session")
def export_server() -> Iterator[ExportServer]:
    """One real headless Chromium for the whole session, as the dashboard keeps one."""
    server = ExportServer.start()
    yield server
    server.close()
