"""Images of a FigureSpec with its furniture: PNG at a preset's size, SVG (text kept as text), PDF."""

from __future__ import annotations

import io

from pypdf import PdfReader, PdfWriter
from pypdf.generic import BooleanObject, DictionaryObject, NameObject, TextStringObject

from dashboard.exports.browser import ExportServer
from dashboard.exports.furniture import PRESETS, compose
from dashboard.exports.provenance import ExportContext
from dashboard.presenting.figure_spec import FigureSpec

MIME = {"png": "image/png", "svg": "image/svg+xml", "pdf": "application/pdf"}


def render_image(
    server: ExportServer, spec: FigureSpec, ctx: ExportContext, notes: list[str], fmt: str, preset: str
) -> bytes:
    """PNG at preset size x scale; SVG and PDF are vector, drawn at the preset's CSS size."""
    chosen = PRESETS[preset]
    figure = compose(spec, ctx, notes, chosen)
    scale = chosen.scale if fmt == "png" else 1
    image = server.render(figure, fmt, chosen.width, chosen.height, scale)
    return with_pdf_metadata(image, spec, ctx) if fmt == "pdf" else image


def with_pdf_metadata(pdf: bytes, spec: FigureSpec, ctx: ExportContext) -> bytes:
    """The PDF with its own title, author (the platform), subject, keywords and language.

    Chromium names every page it prints after the page it drew ("Kaleido-fier").
    """
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    writer.metadata = None  # drop Chromium's title and creator
    writer.add_metadata(
        {
            "/Title": spec.title,
            "/Author": ctx.network,
            "/Subject": spec.subtitle,
            "/Keywords": ctx.figure_code,
            "/Creator": "Tilannekuva",
        }
    )
    root = writer.root_object
    root[NameObject("/Lang")] = TextStringObject(ctx.lang)
    preferences = root.get("/ViewerPreferences")
    preferences = preferences.get_object() if preferences is not None else DictionaryObject()
    preferences[NameObject("/DisplayDocTitle")] = BooleanObject(True)  # viewers show the title, not a file name
    root[NameObject("/ViewerPreferences")] = preferences
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def file_name(spec: FigureSpec, ctx: ExportContext, extension: str, preset: str | None = None) -> str:
    """e.g. overview.new_clients_by_year-TK-10-3f9a2c-social.png"""
    stem = spec.figure_id.replace("/", "-")
    suffix = f"-{preset}" if preset else ""
    return f"{stem}-{ctx.figure_code}{suffix}.{extension}"
