"""No export contains a raw count of 1-4: a dataset full of small counts, through every export."""

from __future__ import annotations

import io
import json
import re
import zipfile

import pandas as pd
import plotly.graph_objects as go
import pytest

from bench.harness.plotly_json import decode_typed_arrays
from dashboard.components.page import context
from dashboard.exports import dataset
from dashboard.exports.alt_text import draft_alt_text
from dashboard.exports.furniture import PRESETS, compose
from dashboard.exports.pack import Exports, build_pack
from dashboard.exports.provenance import build_context, members_text
from dashboard.presenting import specs
from dashboard.presenting.figure_spec import FigureSpec
from dashboard.reading import data, gate
from etl.codebook import load_codebook
from etl.i18n import t
from etl.warehouse import load
from etl.warehouse.writer import writer
from tests.disclosure.scan import csv_frame, scan_figure, scan_frame, scan_text, scan_values, xlsx_frame
from tests.helpers import add_org, long_csv

THRESHOLD = 5  # the default setting, which small_settings keeps
ORGS = ["t1", "t2", "t3", "t4", "t5"]
# organisation, year, total, forced labour, sexual exploitation, forced marriage: every network cell but one
# total is under 5. The 2024 total (9) is shown: no member holds all but 1-4 of it, and its three hidden
# forms (3 each) can each still be anything from 1 to 4 as far as an outsider can tell.
ROWS = [
    ("t1", 2023, 1, 1, 0, 0), ("t2", 2023, 1, 0, 1, 0), ("t3", 2023, 1, 1, 0, 0),
    ("t4", 2023, 0, 0, 0, 0), ("t5", 2023, 0, 0, 0, 0),
    ("t1", 2024, 2, 1, 1, 0), ("t2", 2024, 2, 1, 0, 1), ("t3", 2024, 2, 1, 1, 0),
    ("t4", 2024, 2, 0, 1, 1), ("t5", 2024, 1, 0, 0, 1),
]  # fmt: skip


@pytest.fixture
def small_settings(settings):
    with writer(settings) as con:
        for org in ORGS:
            add_org(con, org)
    lines = []
    for org, year, total, lab, sex, mar in ROWS:
        lines += [f"{org};{year};PERS_NEW;;;{total};", f"{org};{year};PERS_NEW;LAB;;{lab};"]
        lines += [f"{org};{year};PERS_NEW;SEX;;{sex};", f"{org};{year};PERS_NEW;MAR;;{mar};"]
    result = load.load_bytes(long_csv(lines), "pienet.csv", "tester", settings, publish_now=True)
    assert result.outcome == "loaded", [p.message("en") for p in result.problems]
    return settings


def _spec(frame: pd.DataFrame, lang: str, label_column: str, labels: list[str], figure, view) -> FigureSpec:
    shown = gate.display(frame, lang)
    value_header = t("overview.new_clients", lang)
    table = pd.DataFrame({label_column: labels, value_header: shown})
    return FigureSpec(
        figure_id=f"small.{view['measure']}.{view.get('dim', 'total')}",
        title=t("overview.chart_title", lang),
        subtitle=value_header,
        figure=figure,
        table=table,
        summary="",
        snapshot=data.current_snapshot(),
        lang=lang,
        notes=[t("common.caveat", lang)],
        view=view,
        members_reported=members_text(list(frame["members"]), lang),
        measure="PERS_NEW",
    )


def _specs(lang: str) -> list[FigureSpec]:
    ref = data.current_snapshot()
    yearly = gate.network(ref, gate.View("PERS_NEW"))
    chart = specs.Chart("small.total", t("overview.chart_title", lang), {"page": "overview"})
    trend = specs.over_time(context(ref, lang), chart, specs.displayed(yearly, lang).assign(code="_T"), "PERS_NEW")
    figure = trend.figure  # the Overview's trend figure, as the page builds it
    total = _spec(
        yearly, lang, t("common.year", lang), [str(y) for y in yearly["year"]], figure, {"measure": "PERS_NEW"}
    )
    forms = gate.network(ref, gate.View("PERS_NEW", "exploitation_form", first_year=2024))
    assert forms["value"].isna().all()  # every form is a small count
    labels = [load_codebook().label("exploitation_form", c, lang) for c in forms["code1"]]
    bars = go.Figure(go.Bar(x=forms["value"].astype("float64"), y=labels, orientation="h"))
    breakdown = _spec(forms, lang, "", labels, bars, {"measure": "PERS_NEW", "dim": "exploitation_form"})
    return [total, breakdown]


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["fi", "en"])
def test_no_export_contains_a_raw_small_count(small_settings, export_server, lang):
    ref = data.current_snapshot()
    raw = gate.network(ref, gate.View("PERS_NEW"))
    assert raw["value"].isna().sum() == 1 and raw["value"].dropna().tolist() == [9]  # 2023 hidden, 2024 shown
    for spec in _specs(lang):
        ctx = build_context(spec)
        exports = Exports.of(spec, ctx)
        counts = [c for c in exports.table.value_columns if c == t("overview.new_clients", lang)]
        assert counts
        assert scan_frame(csv_frame(exports.csv())[counts], THRESHOLD, "csv") == []
        assert scan_frame(csv_frame(exports.excel_csv())[counts], THRESHOLD, "excel csv") == []
        assert scan_frame(xlsx_frame(exports.xlsx())[counts], THRESHOLD, "xlsx") == []
        assert scan_figure(_json(spec.figure), THRESHOLD) == []
        assert scan_figure(_json(compose(spec, ctx, exports.notes, PRESETS["social"])), THRESHOLD) == []
        svg = exports.image(export_server, "svg", "social").decode("utf-8")
        bar_labels = re.findall(r'class="textpoint"[^>]*>.*?<text[^>]*>([^<]*)</text>', svg)
        assert scan_values(bar_labels, THRESHOLD, "svg bar labels") == []
        # the sentences that name a data version or how many cells are hidden are not counts of persons
        version = t("exports.alt.source", lang, network=ctx.network, version=str(ctx.version))
        hidden = [t("exports.alt.hidden", lang, count=n, threshold="5") for n in range(1, 5)]
        alt = draft_alt_text(spec, exports.table, ctx)
        assert scan_text(alt, THRESHOLD, allowed=[version, *hidden]) == [], alt
        archive = zipfile.ZipFile(io.BytesIO(build_pack(exports, alt, None, "social")))
        assert scan_frame(csv_frame(archive.read(exports.name("csv")))[counts], THRESHOLD, "pack csv") == []


def test_the_whole_dataset_has_no_raw_small_count(small_settings):
    cells = dataset.protected_cells(data.current_snapshot())
    assert len(cells) == 8  # 2 years x (total, LAB, SEX, MAR); the half-year views are empty
    assert sorted(cells["value"].dropna().tolist()) == [0, 9]  # the 2024 total; no one had a forced marriage in 2023
    assert scan_frame(csv_frame(dataset.to_csv(cells, 1, "fi"))[["value"]], THRESHOLD, "dataset csv") == []
    assert scan_frame(csv_frame(dataset.to_sdmx_csv(cells))[["OBS_VALUE"]], THRESHOLD, "sdmx csv") == []


def _json(figure: go.Figure) -> dict:
    """The figure as the browser receives it (typed arrays decoded)."""
    return dict(decode_typed_arrays(json.loads(figure.to_json())))
