"""Images of a FigureSpec with its furniture: PNG at a preset's size, SVG (text kept as text), PDF."""

from __future__ import annotations

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
    return server.render(figure, fmt, chosen.width, chosen.height, scale)


def file_name(spec: FigureSpec, ctx: ExportContext, extension: str, preset: str | None = None) -> str:
    """e.g. overview.new_clients_by_year-TK-10-3f9a2c-social.png"""
    stem = spec.figure_id.replace("/", "-")
    suffix = f"-{preset}" if preset else ""
    return f"{stem}-{ctx.figure_code}{suffix}.{extension}"
