"""What a published figure link keeps: the export's own files and the text around them.

Pure apart from the image server: the PNG and SVG are the export's images (the default
preset, with furniture), the CSV the export's numbers, so /f/<code> serves the same bytes
a member downloads. etl.publish.public_figures keeps them.
"""

from __future__ import annotations

from typing import Any

from dashboard.exports import citation
from dashboard.exports.browser import ExportServer
from dashboard.exports.furniture import DEFAULT_PRESET
from dashboard.exports.pack import Exports
from dashboard.exports.provenance import source_line
from etl.i18n import format_int


def files(exports: Exports, server: ExportServer) -> dict[str, bytes]:
    return {
        "figure.png": exports.image(server, "png", DEFAULT_PRESET),
        "figure.svg": exports.image(server, "svg", DEFAULT_PRESET),
        "table.csv": exports.csv(),
    }


def _cell(value: object, lang: str) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, int) and not isinstance(value, bool):
        return format_int(value, lang)
    if isinstance(value, float) and value.is_integer():
        return format_int(int(value), lang)
    return str(value)


def meta(exports: Exports) -> dict[str, Any]:
    """The page around the files: title, table as shown, notes, citation, data version (all in one language)."""
    spec, ctx = exports.spec, exports.ctx
    table = spec.table
    return {
        "code": ctx.figure_code,
        "figure_id": spec.figure_id,
        "lang": ctx.lang,
        "title": spec.title,
        "subtitle": spec.subtitle,
        "summary": spec.summary,
        "columns": [str(column) for column in table.columns],
        "rows": [[_cell(value, ctx.lang) for value in row] for row in table.itertuples(index=False)],
        "notes": citation.page_notes(exports.notes, exports.numbers, ctx) + citation.notation(exports.numbers, ctx),
        "source": source_line(spec, ctx),
        "citation": citation.long_citation(spec, ctx),
        "version": ctx.version,
        "published": ctx.published.isoformat(),
        "permalink": ctx.permalink,
        "licence": ctx.licence,
    }
