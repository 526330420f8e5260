"""A note on a period travels with its chart: every export that carries the chart's notes carries it."""

from __future__ import annotations

import io
import zipfile

import openpyxl
import pytest

from dashboard.exports import public
from dashboard.exports.furniture import DEFAULT_PRESET, PRESETS, compose
from dashboard.exports.pack import Exports, build_pack
from dashboard.presenting import specs
from dashboard.presenting.figure_spec import FigureSpec
from etl.i18n import t
from tests.dashboard.test_period_remarks import page_context, yearly_cells
from tests.exports.conftest import sample_context
from tests.exports.test_images import _svg_text

NOTE = {
    "fi": "Huomautus 2023: Asiakasjärjestelmä vaihtui",
    "sv": "Anmärkning 2023: Klientsystemet byttes",
    "en": "Note on 2023: One member changed its client system; its new clients are not comparable with 2022.",
}


def _exports(lang: str) -> Exports:
    chart = specs.Chart("trends.chart", "New clients", {"page": "trends", "lang": lang, "measure": "PERS_NEW"})
    spec = specs.over_time(page_context(lang), chart, yearly_cells([2022, 2023, 2024]), "PERS_NEW")
    assert isinstance(spec, FigureSpec)
    return Exports.of(spec, sample_context(spec))


def _words(text: str) -> str:
    return " ".join(text.replace("<br>", " ").split())


def _xlsx_texts(xlsx: bytes, sheet: str) -> list[str]:
    book = openpyxl.load_workbook(io.BytesIO(xlsx))
    return [str(cell) for row in book[sheet].iter_rows(values_only=True) for cell in row if cell]


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_the_files_carry_the_note(lang):
    exports = _exports(lang)
    assert NOTE[lang] in exports.notes
    assert NOTE[lang] in _xlsx_texts(exports.xlsx(), t("exports.sheet.notes", lang))
    image = compose(exports.spec, exports.ctx, exports.notes, PRESETS[DEFAULT_PRESET])  # what PNG, SVG, PDF draw
    assert any(NOTE[lang] in _words(str(a.text)) for a in image.layout.annotations)
    assert any(a.text == t("figures.note_short", lang) for a in image.layout.annotations)  # the mark on the chart
    archive = zipfile.ZipFile(io.BytesIO(build_pack(exports, "alt", None, DEFAULT_PRESET)))  # no browser: no images
    assert NOTE[lang] in _words(archive.read("README.txt").decode("utf-8"))
    assert NOTE[lang] in public.meta(exports)["notes"]  # the published figure link's page


def test_the_csv_holds_the_numbers_only():
    """CSV is for software: one table, no notes (the XLSX, README and images carry them)."""
    assert "Note on" not in _exports("en").csv().decode("utf-8")


@pytest.mark.slow
def test_the_rendered_svg_writes_the_note(export_server):
    exports = _exports("en")
    assert NOTE["en"] in _svg_text(exports.image(export_server, "svg", DEFAULT_PRESET))
