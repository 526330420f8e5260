"""The report as PDF (ReportLab platypus): title page, contents, numbered sections, figures, footers."""

from __future__ import annotations

import io
from datetime import date
from functools import cache
from typing import Any
from xml.sax.saxutils import escape

from pypdf import PdfReader, PdfWriter
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    HRFlowable,
    Image,
    IndexingFlowable,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.tableofcontents import TableOfContents

from dashboard.exports.report_document.fonts import (
    FONT,
    FONT_BOLD,
    PDF_CHARACTERS,
    _column_widths,
    _register_fonts,
)
from dashboard.exports.report_document.model import (
    ACCENT,
    GREY,
    INK,
    RULE,
    SHADE,
    ZEBRA,
    ReportDocument,
    ReportFigure,
    _bold_parts,
    _caption,
    _clean,
    _grid,
    _heading,
    _is_web_link,
    _numeric_columns,
    _period,
    _t,
    _version_line,
)

# ---------------------------------------------------------------------------
# PDF
# ---------------------------------------------------------------------------

PAGE_WIDTH = A4[0]
MARGIN_SIDE, MARGIN_TOP, MARGIN_BOTTOM = 28 * mm, 25 * mm, 25 * mm  # 154 mm of text: about 75 characters a line
FOOTER_BASELINE = 14 * mm
NO_PADDING = {"leftPadding": 0, "rightPadding": 0, "topPadding": 0, "bottomPadding": 0}
SHORT_TABLE = 20  # rows: a table this short is never split, and stays with its notes
ROW_HEIGHT, ORPHAN_ROWS = 15, 6  # a one-line row (8.5/10.5 pt and padding); the header and 5 rows


def _style(name: str, size: float, leading: float, **more: Any) -> ParagraphStyle:
    settings = {"fontName": FONT, "textColor": colors.HexColor(INK), **more}
    return ParagraphStyle(name, fontSize=size, leading=leading, **settings)


@cache
def _styles() -> dict[str, ParagraphStyle]:
    grey = colors.HexColor(GREY)
    bold = {"fontName": FONT_BOLD}
    return {
        "title": _style("title", 26, 32, spaceAfter=10, **bold),
        "subtitle": _style("subtitle", 14, 19, textColor=grey, spaceAfter=36),
        "period": _style("period", 18, 24, spaceAfter=6),
        "version": _style("version", 10.5, 15, textColor=grey),
        "h1": _style("h1", 15, 19, spaceBefore=18, spaceAfter=8, keepWithNext=1, **bold),
        "toc": _style("toc", 10.5, 16),
        "body": _style("body", 10.5, 15, spaceAfter=7),  # ragged right: Finnish words are long and are not hyphenated
        "caption": _style("caption", 10.5, 14, spaceBefore=10, spaceAfter=2, keepWithNext=1, **bold),
        "figure_subtitle": _style("figure_subtitle", 9, 12, textColor=grey, spaceAfter=6, keepWithNext=1),
        "head": _style("head", 8.5, 10.5, **bold),
        "head_right": _style("head_right", 8.5, 10.5, alignment=TA_RIGHT, **bold),
        "cell": _style("cell", 8.5, 10.5),
        "cell_right": _style("cell_right", 8.5, 10.5, alignment=TA_RIGHT),
        "note": _style("note", 8, 10.5, textColor=grey, spaceAfter=1.5),
        "reference": _style("reference", 8, 10.5, spaceBefore=3, spaceAfter=1.5),
        "colophon": _style("colophon", 9, 13, spaceAfter=4),
    }


def _plain(text: str) -> str:
    """Text as ReportLab markup that shows it literally: a table cell "<5" is not a tag."""
    return escape(_clean(text).translate(PDF_CHARACTERS))


def _markup(text: str) -> str:
    """A paragraph's text with its "**bold**" as <b>: escaped first, so only our own tags are tags."""
    return "".join(f"<b>{_plain(part)}</b>" if bold else _plain(part) for part, bold in _bold_parts(text))


def _link(url: str) -> str:
    if not _is_web_link(url):
        return _plain(url)
    return f'<link href="{escape(_clean(url), {chr(34): "&quot;"})}" color="{ACCENT}">{_plain(url)}</link>'


class _Heading(Paragraph):
    """A section heading: it goes in the table of contents and the PDF's outline (bookmarks)."""

    def __init__(self, text: str, style: ParagraphStyle, key: str) -> None:
        super().__init__(_plain(text), style)
        self.toc_text, self.toc_key = _plain(text), key


class _PageTotal(IndexingFlowable):
    """A zero-size mark at the story's end that learns the number of pages.

    The footer's "3 / 12" needs the total while page 3 is drawn. multiBuild passes again while
    an indexing flowable is unsatisfied, so this one asks for passes until two agree on the total.
    """

    def __init__(self) -> None:
        super().__init__()
        self.pages: int | None = None  # the total of the previous pass: what the footers print
        self._counted: int | None = None
        self._settled = False

    # isSatisfied, beforeBuild, afterBuild: what multiBuild asks of an index (ReportLab's names)
    def isSatisfied(self) -> int:
        return int(self._settled)

    def beforeBuild(self) -> None:
        self._counted = None

    def afterBuild(self) -> None:
        self._settled = self._counted == self.pages
        self.pages = self._counted

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        self._counted = self.canv.getPageNumber()


class _ReportTemplate(BaseDocTemplate):
    """A4 pages: a title page without footer, then body pages with the title and "Page n / N" in the footer."""

    def __init__(self, out: io.BytesIO, doc: ReportDocument, total: _PageTotal) -> None:
        super().__init__(
            out,
            pagesize=A4,
            leftMargin=MARGIN_SIDE,
            rightMargin=MARGIN_SIDE,
            topMargin=MARGIN_TOP,
            bottomMargin=MARGIN_BOTTOM,
            title=_clean(doc.title),
            author=_clean(doc.author),
            subject=_period(doc),
            creator="Tilannekuva",
            lang=doc.lang,
            initialFontName=FONT,  # else every page lists Helvetica, unembedded, though no text is set in it
            displayDocTitle=1,  # viewers show the title, not a file name
            invariant=1,  # the same report gives the same bytes; the dates are set after (_with_dates)
        )
        self.report, self.total = doc, total
        # no padding inside the frame: the margins are the text's edges, and an image of self.width fits exactly
        frame = Frame(self.leftMargin, self.bottomMargin, self.width, self.height, id="text", **NO_PADDING)
        self.addPageTemplates(
            [
                PageTemplate(id="title", frames=[frame], onPage=_show_outline),
                PageTemplate(id="body", frames=[frame], onPage=self._footer),
            ]
        )

    def _footer(self, canvas: Canvas, _doc: BaseDocTemplate) -> None:
        pages = self.total.pages or canvas.getPageNumber()  # the first pass guesses; the next one knows
        words = _t("page", self.report.lang, page=str(canvas.getPageNumber()), pages=str(pages))
        canvas.saveState()
        canvas.setStrokeColor(colors.HexColor(RULE))
        canvas.setLineWidth(0.5)
        canvas.line(MARGIN_SIDE, FOOTER_BASELINE + 10, PAGE_WIDTH - MARGIN_SIDE, FOOTER_BASELINE + 10)
        canvas.setFont(FONT, 8)
        canvas.setFillColor(colors.HexColor(GREY))
        canvas.drawString(MARGIN_SIDE, FOOTER_BASELINE, _clean(self.report.title).translate(PDF_CHARACTERS))
        canvas.drawRightString(PAGE_WIDTH - MARGIN_SIDE, FOOTER_BASELINE, words)
        canvas.restoreState()

    def afterFlowable(self, flowable: Flowable) -> None:
        if isinstance(flowable, _Heading):
            self.canv.bookmarkPage(flowable.toc_key)
            self.canv.addOutlineEntry(_clean(flowable.getPlainText()), flowable.toc_key, level=0)
            self.notify("TOCEntry", (0, flowable.toc_text, self.page, flowable.toc_key))


def _show_outline(canvas: Canvas, _doc: BaseDocTemplate) -> None:
    canvas.showOutline()  # a long report opens with its bookmarks beside it


def _title_page(doc: ReportDocument) -> list[Flowable]:
    styles = _styles()
    return [
        Spacer(1, 55 * mm),
        HRFlowable(width="100%", thickness=2, color=colors.HexColor(ACCENT), spaceAfter=14, hAlign="LEFT"),
        Paragraph(_plain(doc.title), styles["title"]),
        Paragraph(_plain(doc.subtitle), styles["subtitle"]),
        Paragraph(_plain(_t("period_line", doc.lang, period=_period(doc))), styles["period"]),
        Paragraph(_plain(_version_line(doc)), styles["version"]),
    ]


def _contents(lang: str) -> list[Flowable]:
    # ReportLab's own contents style, and our font for its cells (as in _table)
    layout = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("FONT", (0, 0), (-1, -1), FONT),
    ]
    toc = TableOfContents(dotsMinLevel=0, tableStyle=TableStyle([*layout, ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
    toc.levelStyles = [_styles()["toc"]]
    return [Paragraph(_plain(_t("contents", lang)), _styles()["h1"]), toc, PageBreak()]


def _image(png: bytes, width: float, max_height: float) -> Image:
    """The figure at the text width, its aspect kept; a tall one shrinks to fit a page with its caption."""
    pixels_wide, pixels_high = ImageReader(io.BytesIO(png)).getSize()
    height = width * pixels_high / pixels_wide
    scale = min(1.0, max_height / height)
    return Image(io.BytesIO(png), width=width * scale, height=height * scale)


def _table(figure: ReportFigure, available: float) -> Table | None:
    header, rows = _grid(figure)
    if not header:
        return None
    styles = _styles()
    right = _numeric_columns(rows, len(header))
    cells = [[Paragraph(_plain(h), styles["head_right" if r else "head"]) for h, r in zip(header, right, strict=True)]]
    cells += [
        [Paragraph(_plain(v), styles["cell_right" if r else "cell"]) for v, r in zip(row, right, strict=True)]
        for row in rows
    ]
    table = Table(cells, colWidths=_column_widths(header, rows, available), repeatRows=1, hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), FONT),  # a cell's own font (Helvetica) is listed even under a Paragraph
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("VALIGN", (0, 0), (-1, 0), "BOTTOM"),  # wrapped headers sit on the rule above the numbers
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor(SHADE)),
                ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor(ZEBRA)]),
                ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.HexColor(INK)),
                ("LINEBELOW", (0, -1), (-1, -1), 0.5, colors.HexColor(RULE)),
                ("LEFTPADDING", (0, 0), (-1, -1), 4),
                ("RIGHTPADDING", (0, 0), (-1, -1), 4),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
            ]
        )
    )
    table.spaceBefore, table.spaceAfter = 4, 6
    return table


def _labelled(label: str, value_markup: str) -> str:
    return f"<b>{_plain(label)}:</b> {value_markup}"


def _figure(figure: ReportFigure, lang: str, width: float, height: float) -> list[Flowable]:
    styles = _styles()
    caption = Paragraph(_plain(_caption(figure, lang)), styles["caption"])
    subtitle = Paragraph(_plain(figure.subtitle), styles["figure_subtitle"])
    image = _image(figure.png, width, height - 80)  # room for two lines each of caption and subtitle above it
    footer = [Paragraph(_plain(note), styles["note"]) for note in figure.notes if note.strip()]
    if figure.citation.strip():
        footer.append(Paragraph(_labelled(_t("cite_as", lang), _plain(figure.citation)), styles["reference"]))
    if figure.permalink.strip():
        footer.append(Paragraph(_labelled(_t("permalink", lang), _link(figure.permalink)), styles["reference"]))
    table = _table(figure, width)
    if table is None:
        below: list[Flowable] = [KeepTogether(footer)]
    elif len(figure.rows) <= SHORT_TABLE:
        below = [KeepTogether([table, *footer])]
    else:  # KeepTogether would start a long table on a new page; it breaks where it must, header repeated,
        # but not after its first row or two: a new page unless the header and a few rows fit
        below = [CondPageBreak(ORPHAN_ROWS * ROW_HEIGHT), table, KeepTogether(footer)]
    return [KeepTogether([caption, subtitle, image]), *below, Spacer(1, 10)]


def _story(doc: ReportDocument, width: float, height: float, total: _PageTotal) -> list[Flowable]:
    styles = _styles()
    listed = bool(doc.sections or doc.colophon)  # an empty contents would show ReportLab's English placeholder
    story = _title_page(doc)
    if listed:
        story += [NextPageTemplate("body"), PageBreak(), *_contents(doc.lang)]
    for number, section in enumerate(doc.sections, start=1):
        story.append(_Heading(_heading(number, section.heading, doc.lang), styles["h1"], f"section-{number}"))
        story += [Paragraph(_markup(text), styles["body"]) for text in section.paragraphs if text.strip()]
        for figure in section.figures:
            story += _figure(figure, doc.lang, width, height)
    if doc.colophon:
        story.append(_Heading(_t("colophon", doc.lang), styles["h1"], "colophon"))
        story += [Paragraph(_markup(line), styles["colophon"]) for line in doc.colophon if line.strip()]
    return [*story, total]


def _pdf_date(day: date) -> str:
    return f"D:{day:%Y%m%d}000000Z"


def _with_dates(pdf_bytes: bytes, published: date) -> bytes:
    """Created and modified on the publication day, not ReportLab's invariant 1 January 2000."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_bytes)))
    writer.add_metadata({"/CreationDate": _pdf_date(published), "/ModDate": _pdf_date(published)})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def pdf(doc: ReportDocument) -> bytes:
    """The report as an A4 PDF: title page, contents, numbered sections with their figures, colophon."""
    _register_fonts()
    out = io.BytesIO()
    total = _PageTotal()
    template = _ReportTemplate(out, doc, total)
    template.multiBuild(_story(doc, template.width, template.height, total))
    return _with_dates(out.getvalue(), doc.published)
