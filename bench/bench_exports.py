"""Exports: warm PNG of the Overview chart, the first export after start, a full statement pack,
beside a bare `fig.to_image` that starts a fresh browser for every call, in the same run."""

from __future__ import annotations

import os
import statistics
import time
from pathlib import Path

from bench.report import Result
from etl.config import Settings

TITLE = "Exports (images through one long-lived Chromium, statement pack)"
WARM_RUNS = 10
BARE_RUNS = 3


def _overview_spec(lang: str = "fi"):  # type: ignore[no-untyped-def]
    """The Overview chart's FigureSpec, built as the Overview page builds it."""
    from dashboard import data, gate, specs
    from dashboard.components.page import context
    from etl.codebook import TOTAL
    from etl.i18n import t

    ctx = context(data.current_snapshot(), lang)
    totals = specs.displayed(gate.network(ctx.snapshot, gate.View("PERS_NEW")), lang)
    chart = specs.Chart("overview.new_clients_by_year", t("overview.chart_title", lang), {"page": "overview"})
    return specs.over_time(ctx, chart, totals.assign(code=TOTAL), "PERS_NEW", mode="bars")


def _seconds(values: list[float]) -> str:
    return f"{statistics.median(values):.2f} s"


def run(workdir: Path) -> list[Result]:
    from etl.demo import build_demo

    settings = Settings(data_dir=workdir / "data")
    build_demo(settings)
    previous = os.environ.get("TILANNEKUVA_DATA_DIR")
    os.environ["TILANNEKUVA_DATA_DIR"] = str(settings.data_dir)
    try:
        return _measure()
    finally:
        if previous is None:
            del os.environ["TILANNEKUVA_DATA_DIR"]
        else:
            os.environ["TILANNEKUVA_DATA_DIR"] = previous


def _measure() -> list[Result]:
    from dashboard.exports.browser import ExportServer
    from dashboard.exports.context import build_context
    from dashboard.exports.pack import Exports, build_pack

    spec = _overview_spec()
    exports = Exports.of(spec, build_context(spec))

    started = time.perf_counter()
    server = ExportServer.start()
    png = exports.image(server, "png", "social")
    first = time.perf_counter() - started
    warm = []
    for _ in range(WARM_RUNS):
        started = time.perf_counter()
        exports.image(server, "png", "social")
        warm.append(time.perf_counter() - started)
    packs = []
    for _ in range(3):
        started = time.perf_counter()
        zipped = build_pack(exports, spec.summary, server, "social")
        packs.append(time.perf_counter() - started)
    server.close()

    from dashboard.exports.furniture import PRESETS, compose

    figure = compose(spec, exports.ctx, exports.notes, PRESETS["social"])
    bare = []
    for _ in range(BARE_RUNS):
        started = time.perf_counter()
        figure.to_image(format="png", width=1200, height=675)  # plotly's own path: a new browser per call
        bare.append(time.perf_counter() - started)

    warm_s, bare_s = statistics.median(warm), statistics.median(bare)
    load = f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores during the run"
    return [
        Result(
            "warm PNG export of the Overview chart (social, with furniture)",
            _seconds(warm),
            goal="< 0.5 s",
            baseline=f"{bare_s:.2f} s bare `fig.to_image`, fresh browser per call",
            ratio=f"{bare_s / warm_s:.0f}x faster",
            met=warm_s < 0.5,
            note=f"median of {WARM_RUNS}; {len(png) // 1024} KiB PNG; one Chromium kept open, one tab per call; {load}",
        ),
        Result(
            "first export after start (browser start + first PNG)",
            f"{first:.2f} s",
            baseline=f"{bare_s:.2f} s bare `fig.to_image`",
            note="paid once per process; the dashboard starts the browser in the background when a menu is shown",
        ),
        Result(
            "full statement pack (PNG, SVG, PDF, 2 CSV, XLSX, texts, zip)",
            _seconds(packs),
            goal="< 3 s",
            baseline=f"{3 * bare_s:.2f} s for three bare `fig.to_image` calls",
            met=statistics.median(packs) < 3,
            note=f"median of 3, warm browser; {len(zipped) // 1024} KiB zip",
        ),
    ]
