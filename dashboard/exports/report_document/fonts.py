"""Fonts embedded in the PDF, and table column widths measured in them (the DOCX uses the same widths)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import reportlab
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT = "ReportSans"
FONT_BOLD = "ReportSans-Bold"
# Vera has no narrow or thin spaces (babel writes some) and no non-breaking hyphen: their nearest look-alikes.
PDF_CHARACTERS = str.maketrans({"\u202f": "\u00a0", "\u2009": " ", "\u2002": " ", "\u2003": " ", "\u2011": "-"})
SYSTEM_DEJAVU = (
    Path("/usr/share/fonts/truetype/dejavu"),
    Path("/usr/share/fonts/dejavu"),
    Path("/usr/share/fonts/TTF"),
)
DEJAVU = ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSans-Oblique.ttf", "DejaVuSans-BoldOblique.ttf")
VERA = ("Vera.ttf", "VeraBd.ttf", "VeraIt.ttf", "VeraBI.ttf")


def _font_files() -> list[Path]:
    """DejaVu Sans where the system has all four faces, else the Vera that ReportLab ships."""
    for folder in SYSTEM_DEJAVU:
        found = [folder / name for name in DEJAVU]
        if all(path.is_file() for path in found):
            return found
    bundled = Path(reportlab.__file__).parent / "fonts"
    return [bundled / name for name in VERA]


@cache
def _register_fonts() -> None:
    """Once per process: ReportLab's font registry is global."""
    names = (FONT, FONT_BOLD, f"{FONT}-Italic", f"{FONT}-BoldItalic")
    for name, path in zip(names, _font_files(), strict=True):
        pdfmetrics.registerFont(TTFont(name, str(path)))
    pdfmetrics.registerFontFamily(FONT, normal=names[0], bold=names[1], italic=names[2], boldItalic=names[3])


def _column_widths(header: list[str], rows: list[list[str]], available: float) -> list[float]:
    """Each column as wide as its widest cell; when the table is too wide, headers wrap at spaces first.

    ReportLab cannot size columns of wrapping Paragraphs itself, so the widths come from the text.
    """
    pad = 8  # the cells' left and right padding (4 pt each)

    def width(text: str, font: str) -> float:
        return pdfmetrics.stringWidth(text.translate(PDF_CHARACTERS), font, 8.5) + pad + 1

    body = [max([width(row[c], FONT) for row in rows], default=0) for c in range(len(header))]
    full = [max(b, width(h, FONT_BOLD)) for b, h in zip(body, header, strict=True)]
    if sum(full) <= available:
        return full
    words = [max([width(w, FONT_BOLD) for w in h.split()], default=0) for h in header]
    compact = [max(b, w) for b, w in zip(body, words, strict=True)]
    if sum(compact) <= available:  # share the room left between the headers that would wrap
        room, wanted = available - sum(compact), sum(f - c for f, c in zip(full, compact, strict=True))
        return [c + room * (f - c) / wanted for f, c in zip(full, compact, strict=True)]
    return _fair_share(compact, available)


def _fair_share(natural: list[float], available: float) -> list[float]:
    """Narrow columns keep their width; the wide ones split what is left equally (and wrap)."""
    widths, remaining, open_columns = list(natural), available, set(range(len(natural)))
    while open_columns:
        share = remaining / len(open_columns)
        narrow = {c for c in open_columns if natural[c] <= share}
        if not narrow:
            for c in open_columns:
                widths[c] = share
            break
        remaining -= sum(natural[c] for c in narrow)
        open_columns -= narrow
    return widths
