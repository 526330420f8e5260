"""One view's exports in fi, sv and en, text parts against golden files: what a reader of each language gets.

The view is the Trends page's "new clients by form of exploitation", drawing two of the
forms, built by the page's own spec builder from a small published warehouse. Every text
part is compared: the image's furniture and legend, the CSV, every XLSX sheet, the
citation, the alt text and the pack's README. Regenerate after an intended change with
TILANNEKUVA_UPDATE_GOLDEN=1 and read the diff as a reader of each language would.
"""

from __future__ import annotations

import io
import os
from dataclasses import replace
from pathlib import Path

import openpyxl
import pytest

from dashboard.components.page import context
from dashboard.exports.alt_text import draft_alt_text
from dashboard.exports.furniture import DEFAULT_PRESET, PRESETS, compose, legend_entries
from dashboard.exports.pack import Exports, pack_files, readme
from dashboard.presenting import specs
from dashboard.presenting.figure_spec import FigureSpec
from dashboard.reading import data, gate
from etl.codebook import TOTAL
from etl.publish.snapshots import SnapshotRef
from etl.warehouse import load
from etl.warehouse.writer import writer
from tests.exports.conftest import PUBLISHED, sample_context
from tests.helpers import add_org, long_csv

GOLDEN = Path(__file__).parent / "golden"
ORGS = ["t1", "t2", "t3", "t4", "t5"]
DRAWN = ["LAB", "SEX"]


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> SnapshotRef:
    """Five members' new clients by form, 2023-2025: most cells shown; forced marriage (2 a year) hidden, with
    what protection hides beside it."""
    from etl.config import Settings

    settings = Settings(data_dir=tmp_path_factory.mktemp("golden") / "data")
    with writer(settings) as con:
        for org in ORGS:
            add_org(con, org)
    lines = []
    for year in (2023, 2024, 2025):
        for number, org in enumerate(ORGS):
            lab, sex, mar, oth = 12 + number + year % 3, 8 + 2 * number, int(number < 2), (year + number) % 4 + 1
            lines += [f"{org};{year};PERS_NEW;;;{lab + sex + mar + oth};"]
            lines += [f"{org};{year};PERS_NEW;{form};;{value};" for form, value in zip(
                ("LAB", "SEX", "MAR", "OTH"), (lab, sex, mar, oth), strict=True)]  # fmt: skip
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TILANNEKUVA_DATA_DIR", str(settings.data_dir))
        result = load.load_bytes(long_csv(lines), "muodot.csv", "tester", settings, publish_now=True)
        assert result.outcome == "loaded", [p.message("en") for p in result.problems]
        yield data.current_snapshot()


def _view(ref: SnapshotRef, lang: str) -> FigureSpec:
    """What the Trends page builds for ?b=exploitation_form&s=LAB,SEX (trends.py, its steps in a row)."""
    ctx = context(ref, lang)
    view = gate.View("PERS_NEW", "exploitation_form")
    every = specs.displayed(gate.network(ref, view, margins=True), lang).assign(code=lambda f: f["code1"])
    drawn = every[every["code"].isin(DRAWN)]
    title = specs.trend_title(ctx, "PERS_NEW", "exploitation_form", TOTAL)
    chart = specs.Chart("trends.chart", title, {"page": "trends", "b": "exploitation_form", "s": ",".join(DRAWN)})
    spec = specs.over_time(ctx, chart, drawn, "PERS_NEW", "exploitation_form", every=every)
    assert isinstance(spec, FigureSpec)
    return replace(spec, snapshot=replace(ref, published_at=PUBLISHED))  # a fixed date, as goldens need


def _sheets(xlsx: bytes) -> list[str]:
    book = openpyxl.load_workbook(io.BytesIO(xlsx))
    lines = []
    for sheet in book:
        lines.append(f"[{sheet.title}]")
        for row in sheet.iter_rows(values_only=True):
            lines.append("\t".join("" if cell is None else str(cell) for cell in row).rstrip("\t"))
    return lines


def _texts(spec: FigureSpec) -> str:
    """Every text part of the view's exports, in sections."""
    exports = Exports.of(spec, sample_context(spec))
    image = compose(spec, exports.ctx, exports.notes, PRESETS[DEFAULT_PRESET])
    furniture = [str(a.text) for a in image.layout.annotations if a.text and a.text != "×"]
    alt = draft_alt_text(spec, exports.table, exports.ctx)
    sections = {
        "image: legend": legend_entries(image),
        "image: title, notes, source": furniture,
        "csv": exports.csv().decode("utf-8").splitlines(),
        "xlsx": _sheets(exports.xlsx()),
        "citation.txt": exports.citation_text().splitlines(),
        "alt-text.txt": [alt],
        "README.txt": readme(exports, alt, pack_files(exports), with_images=True).splitlines(),
    }
    return "".join(f"=== {name}\n" + "\n".join(lines) + "\n" for name, lines in sections.items())


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_one_views_exports_read_right_in_each_language(published, lang):
    text = _texts(_view(published, lang))
    golden = GOLDEN / f"view.{lang}.txt"
    if os.environ.get("TILANNEKUVA_UPDATE_GOLDEN"):
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")
