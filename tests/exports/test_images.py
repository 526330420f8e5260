"""Images are real files: PNG at the preset's size, SVG with its text as text, PDF with extractable text."""

from __future__ import annotations

import io
import re
from xml.etree import ElementTree

import pypdf
import pytest
from PIL import Image

from dashboard.exports.furniture import PRESETS, compose, legend_entries
from dashboard.exports.images import render_image
from dashboard.exports.provenance import licence_line, source_line
from dashboard.presenting.figures.common import HIDDEN_MARK
from etl.i18n import t
from tests.exports.charts import CHARTS
from tests.exports.conftest import sample_context, sample_exports

pytestmark = pytest.mark.slow


SVG = "{http://www.w3.org/2000/svg}"


def _words(text: str) -> str:
    return " ".join(text.split())


def _svg_text(svg: bytes) -> str:
    """All text of the SVG, lines joined with spaces (plotly splits wrapped text into tspans)."""
    root = ElementTree.fromstring(svg)  # our own renderer's output
    chunks = []
    for node in root.iter(f"{SVG}text"):
        lines = [span for span in node.iter(f"{SVG}tspan") if "line" in span.get("class", "")]
        chunks.append(" ".join("".join(span.itertext()) for span in lines) if lines else "".join(node.itertext()))
    return _words(" ".join(chunks))


@pytest.mark.parametrize("preset", list(PRESETS))
def test_png_decodes_at_the_preset_size(export_server, preset):
    exports = sample_exports("fi")
    png = exports.image(export_server, "png", preset)
    image = Image.open(io.BytesIO(png))
    image.load()
    chosen = PRESETS[preset]
    assert image.format == "PNG"
    assert image.size == (round(chosen.width * chosen.scale), round(chosen.height * chosen.scale))
    darkest, lightest = image.convert("L").getextrema()
    assert darkest < 80 and lightest == 255  # text and bars on a white page, not a blank image


def test_print_preset_is_a4_width_at_300_dpi(export_server):
    png = sample_exports("en").image(export_server, "png", "print")
    assert Image.open(io.BytesIO(png)).size[0] == 2480  # 210 mm at 300 dpi
    pdf = pypdf.PdfReader(io.BytesIO(sample_exports("en").image(export_server, "pdf", "print")))
    width_mm = float(pdf.pages[0].mediabox.width) / 72 * 25.4
    assert width_mm == pytest.approx(210, abs=1)


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_svg_keeps_title_source_notes_licence_and_figure_id_as_text(export_server, lang):
    exports = sample_exports(lang)
    svg = exports.image(export_server, "svg", "social")
    assert svg.lstrip().startswith(b"<svg")
    text = _svg_text(svg)
    assert exports.spec.title in text
    assert exports.spec.subtitle in text
    assert _words(source_line(exports.spec, exports.ctx)) in text
    assert _words(licence_line(exports.ctx)) in text
    assert exports.ctx.figure_code in text
    for note in exports.notes:  # the caveat, and the protection legend since a cell is hidden
        assert _words(note) in text
    assert "<5:" in text  # escaped for plotly, shown as written


@pytest.mark.parametrize("lang", ["fi", "en"])
def test_pdf_text_holds_title_and_source_line(export_server, lang):
    exports = sample_exports(lang)
    pdf = exports.image(export_server, "pdf", "social")
    assert pdf.startswith(b"%PDF-")
    # Chromium's PDF keeps text as text with a ToUnicode map, so it can be extracted and searched.
    text = _words(" ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages))
    assert exports.spec.title in text
    assert _words(source_line(exports.spec, exports.ctx)) in text
    assert exports.ctx.figure_code in text


def test_furniture_is_added_without_changing_the_pages_figure():
    exports = sample_exports("en")
    before = exports.spec.figure.to_json()
    composed = compose(exports.spec, exports.ctx, exports.notes, PRESETS["slide"])
    assert exports.spec.figure.to_json() == before
    assert composed.layout.width == 1920 and composed.layout.height == 1080
    assert composed.layout.margin.autoexpand is False
    texts = [a.text for a in composed.layout.annotations]
    assert any("&lt;5:" in text for text in texts)  # markers are escaped, not read as tags
    assert any(exports.ctx.figure_code in text for text in texts)


def test_long_text_wraps_inside_the_image():
    exports = sample_exports("fi", notes=["pitkä huomautus " * 60])
    composed = compose(exports.spec, exports.ctx, exports.notes, PRESETS["social"])
    note = next(a.text for a in composed.layout.annotations if "pitkä" in a.text)
    lines = note.split("<br>")
    assert len(lines) > 3
    assert max(len(re.sub("<[^>]+>", "", line)) for line in lines) < 1200 / (PRESETS["social"].font * 0.85 * 0.5)


def _translate(node) -> tuple[float, float]:
    found = re.search(r"translate\(([-\d.e]+)[ ,]+([-\d.e]+)\)", node.get("transform", ""))
    return (float(found.group(1)), float(found.group(2))) if found else (0.0, 0.0)


def _placed(svg: bytes, css_class: str) -> list[tuple[ElementTree.Element, float, float]]:
    """Elements of a class with their position on the canvas (the sum of their groups' translations)."""
    out = []

    def walk(node, x: float, y: float) -> None:
        dx, dy = _translate(node)
        x, y = x + dx, y + dy
        if css_class in node.get("class", "").split():
            out.append((node, x, y))
        for child in node:
            walk(child, x, y)

    walk(ElementTree.fromstring(svg), 0.0, 0.0)
    return out


@pytest.mark.parametrize("chart", ["lines", "stacked", "cross", "reference"])
@pytest.mark.parametrize("preset", ["social", "print"])
def test_every_series_drawn_is_in_the_svg_legend_inside_the_image_above_the_notes(export_server, chart, preset):
    spec = CHARTS[chart]("fi")
    ctx = sample_context(spec)
    notes = ["Huomautus kuvan alla."]
    svg = render_image(export_server, spec, ctx, notes, "svg", preset)
    width, height = PRESETS[preset].width, PRESETS[preset].height
    drawn = legend_entries(spec.figure)
    assert len(drawn) >= 2 and HIDDEN_MARK in drawn[-1]  # every chart here has series and a hidden cell
    texts = _placed(svg, "legendtext")
    assert ["".join(node.itertext()) for node, _, _ in texts] == drawn
    (legend, left, top), *_ = _placed(svg, "legend")
    box = next(node for node in legend if "bg" in node.get("class", ""))
    right, bottom = left + float(box.get("width")), top + float(box.get("height"))
    assert left >= 0 and right <= width and top >= 0 and bottom <= height
    for node, x, _ in texts:  # each entry's text ends inside the canvas
        assert x + float(node.get("x")) + len(node.text) * PRESETS[preset].font * 0.85 * 0.6 <= width
    note_top = min(y for node, _, y in _placed(svg, "cursor-pointer") if "Huomautus" in "".join(node.itertext()))
    assert bottom <= note_top  # the legend does not run into the notes and source below it


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_pdf_says_its_title_author_subject_and_language(export_server, lang):
    spec = CHARTS["lines"](lang)
    ctx = sample_context(spec)
    pdf = pypdf.PdfReader(io.BytesIO(render_image(export_server, spec, ctx, [], "pdf", "social")))
    assert pdf.metadata.title == spec.title
    assert pdf.metadata.author == ctx.network == t("exports.network", lang)
    assert pdf.metadata.subject == spec.subtitle
    assert pdf.trailer["/Root"]["/Lang"] == lang
    assert bool(pdf.trailer["/Root"]["/ViewerPreferences"]["/DisplayDocTitle"])
    assert spec.title in _words(pdf.pages[0].extract_text())


def test_a_breakdown_names_its_bars_on_the_axis_and_writes_its_hidden_cells_there(export_server):
    spec = CHARTS["bars"]("fi")
    svg = render_image(export_server, spec, sample_context(spec), [], "svg", "social")
    assert legend_entries(spec.figure) == [] and _placed(svg, "legendtext") == []
    text = _svg_text(svg)
    assert "Elinten poisto" in text and "<5" in text and " x " in f" {text} "
