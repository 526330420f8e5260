"""The situation report as PDF and DOCX: real bytes read back with pypdf and python-docx."""

from __future__ import annotations

import io
import re
from datetime import date
from functools import cache

import docx as python_docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from PIL import Image, ImageDraw
from pypdf import PdfReader
from reportlab.pdfbase.ttfonts import TTFont

from dashboard.exports.report_document import ReportDocument, ReportFigure, ReportSection, docx, fonts, pdf
from etl.i18n import format_date, t

LANGS = ["fi", "sv", "en"]
TRICKY = "Tulkinta & varaukset: <b>ei lihavoitu</b>, 3 > 2 ja “lainaus” – … × ≤"
HEADERS = {
    "fi": ["Vuosi", "Uudet asiakkaat", "Osuus"],
    "sv": ["År", "Nya klienter", "Andel"],
    "en": ["Year", "New clients", "Share"],
}
SHORT_ROWS = [["2023", "1 234", "45 %"], ["2024", "<5", "x"], ["2025", "..", "12,5 %"]]
LONG_ROWS = [[str(1990 + i), f"{i * 37} ", f"{i % 9} %"] for i in range(40)]


def _png(width: int = 1400, height: int = 788) -> bytes:
    """A small bar chart: a real PNG of the dashboard's proportions."""
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    for i, bar in enumerate((300, 450, 200, 600)):
        draw.rectangle([100 + i * 300, height - 80 - bar, 300 + i * 300, height - 80], fill="#0072B2")
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def _figure(number: int, lang: str, rows: list[list[str]]) -> ReportFigure:
    return ReportFigure(
        number=number,
        title=f"Uudet asiakkaat {number} & muut",
        subtitle="New clients · 2016–2025 · 7–11 members reported",
        png=_png(),
        alt=f"Kuvion {number} yhteenveto: asiakkaita oli eniten vuonna 2024.",
        columns=HEADERS[lang],
        rows=rows,
        notes=[f"Huomautus {number}: vuoden 2020 luvut ovat vajaat.", "<5: 1–4 henkilöä; x: piilotettu"],
        citation=f"IKV: Uudet asiakkaat {number} (tietoversio 7, 2026). https://tilannekuva.example.fi/f/{number}",
        permalink=f"https://tilannekuva.example.fi/?p=overview&f={number}&a=1",
    )


@cache
def _document(lang: str, period: str = "2025") -> ReportDocument:
    return ReportDocument(
        lang=lang,
        title="Ihmiskaupan tilannekuva 2025",
        subtitle="Ihmiskaupan vastainen kansalaisjärjestöfoorumi",
        period=period,
        version=7,
        published=date(2026, 3, 15),
        author="IKV-verkosto",
        sections=[
            ReportSection(
                heading="Johdanto",
                paragraphs=["Raportti kokoaa **jäsenten** luvut.", TRICKY],
                figures=[_figure(1, lang, SHORT_ROWS)],
            ),
            ReportSection(
                heading="Asiakkaat vuosittain",
                paragraphs=["Pitkä aikasarja alkaa vuodesta 1990."],
                figures=[_figure(2, lang, LONG_ROWS)],
            ),
            ReportSection(heading="Lopuksi", paragraphs=["Kiitos jäsenille."], figures=[]),
        ],
        colophon=["Viittaa raporttiin: IKV (2026). Ihmiskaupan tilannekuva 2025.", "Lisenssi CC BY 4.0"],
    )


@cache
def _pdf(lang: str) -> bytes:
    return pdf(_document(lang))


@cache
def _docx(lang: str) -> bytes:
    return docx(_document(lang))


def _flat(text: str) -> str:
    """Whitespace (wrapped lines, non-breaking spaces) as single spaces: what a reader sees."""
    return " ".join(text.split())


def _pages(data: bytes) -> list[str]:
    return [_flat(page.extract_text()) for page in PdfReader(io.BytesIO(data)).pages]


def _heading(number: int, heading: str, lang: str) -> str:
    return t("report_document.section_heading", lang, number=str(number), heading=heading)


def _caption(number: int, lang: str) -> str:
    return t("report_document.figure_caption", lang, number=str(number), title=f"Uudet asiakkaat {number} & muut")


# ---------------------------------------------------------------------------
# PDF
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_the_pdf_holds_the_reports_text_in_the_readers_language(lang):
    doc = _document(lang)
    pages = _pages(_pdf(lang))
    text = " ".join(pages)
    assert doc.title in pages[0] and doc.subtitle in pages[0]
    version = t("report_document.version_line", lang, version="7", date=format_date(doc.published, lang))
    assert _flat(version) in pages[0]
    assert t("report_document.contents", lang) in pages[1]
    for number, section in enumerate(doc.sections, start=1):
        heading = _heading(number, section.heading, lang)
        assert heading in pages[1]  # listed in the contents
        assert text.count(heading) == 2  # ... and heading its section
    for number in (1, 2):
        assert _caption(number, lang) in text
    assert "2024 <5 x" in text  # the row as shown: "<5" is text, not a tag
    assert "2025 .. 12,5 %" in text
    assert "Huomautus 1: vuoden 2020 luvut ovat vajaat." in text
    assert _flat(doc.sections[0].figures[0].citation) in text
    assert "https://tilannekuva.example.fi/?p=overview&f=1&a=1" in text
    assert t("report_document.cite_as", lang) in text and t("report_document.permalink", lang) in text
    assert all(_flat(line) in text for line in doc.colophon)
    assert t("report_document.colophon", lang) in text


@pytest.mark.parametrize("lang", LANGS)
def test_every_page_after_the_title_page_has_the_footer_with_the_page_total(lang):
    pages = _pages(_pdf(lang))
    assert len(pages) >= 4
    assert t("report_document.page", lang, page="1", pages=str(len(pages))) not in pages[0]
    for number, page in enumerate(pages[1:], start=2):
        assert t("report_document.page", lang, page=str(number), pages=str(len(pages))) in page
        assert "Ihmiskaupan tilannekuva 2025" in page


def test_finnish_footer_reads_sivu_n_of_total():
    pages = _pages(_pdf("fi"))
    assert re.search(rf"Sivu 2 / {len(pages)}\b", pages[1])


def test_the_contents_gives_the_page_each_section_starts_on():
    pages = _pages(_pdf("en"))
    entries = [_heading(n, h, "en") for n, h in enumerate(["Johdanto", "Asiakkaat vuosittain", "Lopuksi"], start=1)]
    entries.append(t("report_document.colophon", "en"))
    starts = [next(i for i, page in enumerate(pages[2:], start=3) if entry in page) for entry in entries]
    listed = [int(n) for n in re.findall(r"\. (\d+)\b", pages[1])]  # each entry's dot leader, then its page
    assert listed == starts
    assert starts[-1] > starts[0]


@pytest.mark.parametrize("lang", LANGS)
def test_the_pdf_has_title_author_subject_and_language(lang):
    reader = PdfReader(io.BytesIO(_pdf(lang)))
    assert reader.metadata.title == "Ihmiskaupan tilannekuva 2025"
    assert reader.metadata.author == "IKV-verkosto"
    assert reader.metadata.subject == "2025"
    assert reader.metadata.creation_date.date() == date(2026, 3, 15)
    assert reader.trailer["/Root"]["/Lang"] == lang


def test_the_pdf_outline_lists_the_sections():
    reader = PdfReader(io.BytesIO(_pdf("sv")))
    assert [entry.title for entry in reader.outline] == [
        _heading(1, "Johdanto", "sv"),
        _heading(2, "Asiakkaat vuosittain", "sv"),
        _heading(3, "Lopuksi", "sv"),
        t("report_document.colophon", "sv"),
    ]


def test_a_report_without_sections_still_renders():
    doc = ReportDocument(**{**_document("en").__dict__, "sections": [], "colophon": []})
    pages = _pages(pdf(doc))
    assert len(pages) == 1 and "Placeholder" not in pages[0]
    assert _open(docx(doc)).paragraphs[0].text == doc.title


def test_a_half_year_report_names_its_period_as_the_dashboard_does():
    data = pdf(_document("fi", "2025H1"))
    assert "Tarkastelujakso H1/2025" in _pages(data)[0]
    assert PdfReader(io.BytesIO(data)).metadata.subject == "H1/2025"


def test_a_long_table_breaks_across_pages_and_repeats_its_header():
    pages = _pages(_pdf("fi"))
    first = next(i for i, page in enumerate(pages) if "1990 0 0 %" in page)
    last = next(i for i, page in enumerate(pages) if "2029 1443 3 %" in page)
    assert last > first
    header = "Vuosi Uudet asiakkaat Osuus"
    assert header in pages[first] and header in pages[last]
    assert all(f"{1990 + i} " in " ".join(pages[first : last + 1]) for i in range(40))


def test_each_caption_is_on_the_page_of_its_image():
    reader = PdfReader(io.BytesIO(_pdf("fi")))
    for number in (1, 2):
        page = next(p for p in reader.pages if _caption(number, "fi") in _flat(p.extract_text()))
        assert len(page.images) >= 1


def test_text_is_shown_literally_and_special_characters_survive():
    text = " ".join(_pages(_pdf("fi")))
    assert _flat(TRICKY) in text  # &, <b>, > as written, and “ ” – … × ≤ in the embedded font
    assert "Uudet asiakkaat 1 & muut" in text


def test_bold_markup_is_bold_and_its_asterisks_are_gone():
    text = " ".join(_pages(_pdf("fi")))
    assert "Raportti kokoaa jäsenten luvut." in text
    assert "**" not in text


def test_the_fonts_are_embedded_truetype():
    reader = PdfReader(io.BytesIO(_pdf("fi")))
    fonts = reader.pages[2]["/Resources"]["/Font"]
    for font in fonts.values():
        font = font.get_object()
        descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
        assert "/FontFile2" in descendant["/FontDescriptor"]


def test_without_system_fonts_the_bundled_vera_covers_the_reports_characters(monkeypatch):
    monkeypatch.setattr(fonts, "SYSTEM_DEJAVU", ())
    files = fonts._font_files()
    assert [path.name for path in files] == ["Vera.ttf", "VeraBd.ttf", "VeraIt.ttf", "VeraBI.ttf"]
    for path in files:
        glyphs = TTFont(path.stem, str(path)).face.charToGlyph
        assert [c for c in "åäöÅÄÖ“”–…×≤\u00a0" if ord(c) not in glyphs] == []


def test_the_same_report_gives_the_same_pdf():
    assert pdf(_document("sv")) == _pdf("sv")


def test_a_tall_image_shrinks_to_fit_a_page():
    tall = ReportFigure(**{**_figure(1, "en", SHORT_ROWS).__dict__, "png": _png(400, 2400)})
    doc = ReportDocument(**{**_document("en").__dict__, "sections": [ReportSection("Tall", [], [tall])]})
    assert len(PdfReader(io.BytesIO(pdf(doc))).pages) >= 3


# ---------------------------------------------------------------------------
# DOCX
# ---------------------------------------------------------------------------


def _open(data: bytes):
    return python_docx.Document(io.BytesIO(data))


def _in_order(texts: list[str], wanted: list[str]) -> bool:
    """Each wanted text is in some paragraph, each after the one before."""
    position = 0
    for text in wanted:
        position = next((i for i in range(position, len(texts)) if text in texts[i]), -1) + 1
        if position == 0:
            return False
    return True


@pytest.mark.parametrize("lang", LANGS)
def test_the_docx_holds_the_same_content_in_the_same_order(lang):
    doc = _document(lang)
    document = _open(_docx(lang))
    texts = [p.text for p in document.paragraphs]
    version = t("report_document.version_line", lang, version="7", date=format_date(doc.published, lang))
    wanted = [doc.title, doc.subtitle, version, _heading(1, "Johdanto", lang), "Raportti kokoaa jäsenten luvut."]
    wanted += [TRICKY, _caption(1, lang), "Huomautus 1:", doc.sections[0].figures[0].citation]
    wanted += [doc.sections[0].figures[0].permalink, _heading(2, "Asiakkaat vuosittain", lang), _caption(2, lang)]
    wanted += [_heading(3, "Lopuksi", lang), t("report_document.colophon", lang), *doc.colophon]
    assert _in_order(texts, wanted)
    assert [p.text for p in document.paragraphs if p.style.name == "Heading 1"] == [
        _heading(1, "Johdanto", lang),
        _heading(2, "Asiakkaat vuosittain", lang),
        _heading(3, "Lopuksi", lang),
        t("report_document.colophon", lang),
    ]
    captions = [p for p in document.paragraphs if p.style.name == "Caption"]
    assert [p.text for p in captions] == [_caption(1, lang), _caption(2, lang)]
    assert all(p.paragraph_format.keep_with_next for p in captions)


@pytest.mark.parametrize("lang", LANGS)
def test_the_docx_tables_hold_the_rows_exactly_with_a_repeating_bold_header(lang):
    document = _open(_docx(lang))
    assert len(document.tables) == 2
    for table, rows in zip(document.tables, (SHORT_ROWS, LONG_ROWS), strict=True):
        assert [[cell.text for cell in row.cells] for row in table.rows] == [HEADERS[lang], *rows]
        assert table.style.name == "Table Grid"
        header = table.rows[0]
        assert header._tr.trPr.find(qn("w:tblHeader")) is not None
        assert all(run.bold for cell in header.cells for run in cell.paragraphs[0].runs)
        widths = [column.width for column in table.columns]  # sized to the text, as in the PDF
        assert sum(widths) <= _open(_docx(lang)).sections[0].page_width - 2 * 914400 and widths[0] < widths[1]
        body = table.rows[1].cells
        assert body[0].paragraphs[0].alignment != WD_ALIGN_PARAGRAPH.RIGHT  # the stub
        assert body[1].paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.RIGHT  # numbers


def test_the_docx_pictures_fill_the_text_width_and_carry_their_alt_text():
    document = _open(_docx("fi"))
    shapes = document.inline_shapes
    assert len(shapes) == 2
    for shape, figure in zip(shapes, [s.figures[0] for s in _document("fi").sections[:2]], strict=True):
        assert shape._inline.docPr.get("descr") == figure.alt
        assert round(shape.width.inches, 2) == 6.27  # A4 less Word's 2.54 cm margins
        assert abs(shape.height / shape.width - 788 / 1400) < 0.01
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)


@pytest.mark.parametrize("lang", LANGS)
def test_the_docx_has_title_author_subject_and_language(lang):
    document = _open(_docx(lang))
    properties = document.core_properties
    assert properties.title == "Ihmiskaupan tilannekuva 2025"
    assert properties.author == "IKV-verkosto"
    assert properties.subject == "2025"
    assert properties.language == lang
    assert properties.created.date() == date(2026, 3, 15)
    defaults = document.styles.element.find(qn("w:docDefaults"))
    assert defaults.find(qn("w:rPrDefault")).find(qn("w:rPr")).find(qn("w:lang")).get(qn("w:val")).startswith(lang)


def test_the_docx_shows_text_literally_and_bold_as_bold():
    document = _open(_docx("fi"))
    tricky = next(p for p in document.paragraphs if p.text == TRICKY)
    assert [run.bold for run in tricky.runs] == [None]
    bold = next(p for p in document.paragraphs if p.text == "Raportti kokoaa jäsenten luvut.")
    assert [(run.text, bool(run.bold)) for run in bold.runs] == [
        ("Raportti kokoaa ", False),
        ("jäsenten", True),
        (" luvut.", False),
    ]


def test_the_permalink_is_a_link():
    document = _open(_docx("en"))
    links = [link for p in document.paragraphs for link in p.hyperlinks]
    assert [link.address for link in links] == [
        "https://tilannekuva.example.fi/?p=overview&f=1&a=1",
        "https://tilannekuva.example.fi/?p=overview&f=2&a=1",
    ]


def test_pasted_control_characters_and_ragged_rows_do_not_break_either_format():
    figure = ReportFigure(
        **{**_figure(1, "fi", SHORT_ROWS).__dict__, "title": "Otsikko\x0b\x00", "rows": [["2024", "<5"], ["2025"]]}
    )
    doc = ReportDocument(**{**_document("fi").__dict__, "sections": [ReportSection("Osa\x1f", ["a\x0cb"], [figure])]})
    assert "Kuvio 1. Otsikko" in " ".join(_pages(pdf(doc)))
    table = _open(docx(doc)).tables[0]
    assert [[cell.text for cell in row.cells] for row in table.rows] == [
        HEADERS["fi"],
        ["2024", "<5", ""],
        ["2025", "", ""],
    ]
