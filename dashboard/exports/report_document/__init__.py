"""A situation report typeset as PDF and as DOCX: a ReportDocument in, bytes out.

Pure: no Streamlit, no database, no browser. The report's sections hold the staff's text
and the dashboard's figures, each already turned into its parts (image, table as shown,
notes, citation, permalink), so this module only lays them out.

Why ReportLab (platypus) for the PDF: a report runs to dozens of pages, with a table of
contents, "Page 3 / 12" footers, captions kept with their image and long tables that
break across pages and repeat their header. Platypus does exactly that in-process, with
only Python; Chromium (which draws the figure images) could print HTML, but paged media
(footers with a page total, a contents page with page numbers) is what it does worst.

Why bundled fonts: a PDF should embed its fonts, and the 14 built-in PDF fonts cannot be
embedded and lack "≤". Fresh machines have only Python, so the text is set in Bitstream
Vera, which ReportLab ships and which has the Finnish and Swedish letters and “ ” – … × ≤;
where the system has DejaVu Sans (Vera's extension, the same shapes and widths) it is used
instead, for the rarer characters Vera lacks.

Why python-docx for DOCX: the staff edit reports further in Word or LibreOffice, so the
DOCX keeps real headings (Heading 1), captions (Caption), tables with a repeating header
row and the pictures' alt text, rather than a picture of the PDF.
"""

from dashboard.exports.report_document.docx_file import docx
from dashboard.exports.report_document.model import ReportDocument, ReportFigure, ReportSection
from dashboard.exports.report_document.pdf_file import pdf

__all__ = ["ReportDocument", "ReportFigure", "ReportSection", "docx", "pdf"]
