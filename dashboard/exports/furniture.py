"""Statement furniture burned into an exported image: title, subtitle, notes, source, licence, figure id.

Pure: FigureSpec in, a new plotly Figure out (the page's figure is not changed).
Margins are computed in pixels from the wrapped text and fixed (no automatic
margin growth), so the text blocks sit exactly at the image edges whatever the
chart; the text is escaped, so a label such as "<5" is shown as written.
"""

from __future__ import annotations

import html
import textwrap
from dataclasses import dataclass
from typing import Any

import plotly.graph_objects as go

from dashboard.exports.provenance import ExportContext, licence_line, source_line
from dashboard.presenting.figure_spec import FigureSpec
from etl.i18n import format_int

CHAR_WIDTH = 0.52  # average glyph width of Arial/Liberation Sans as a fraction of the font size
LINE_HEIGHT = 1.3  # plotly's line spacing for multi-line text
TITLE, SUBTITLE, NOTE, SMALL = 1.6, 1.1, 0.85, 0.75  # font sizes relative to the preset's base font
INK, GREY, LIGHT = "#222222", "#555555", "#767676"  # #767676 is the lightest grey with 4.5:1 on white


@dataclass(frozen=True)
class Preset:
    name: str
    width: int  # CSS pixels; the PNG is width * scale pixels wide
    height: int
    scale: float
    font: int  # base font size in CSS pixels


PRESETS = {
    "social": Preset("social", 1200, 675, 1, 15),
    "slide": Preset("slide", 1920, 1080, 1, 22),
    # A4 width: 794 CSS px is 210 mm in the PDF; the PNG is drawn at 300 dpi, 2480 px wide.
    "print": Preset("print", 794, 562, 2480 / 794, 13),
}
DEFAULT_PRESET = "social"


@dataclass(frozen=True)
class _Block:
    lines: list[str]
    size: float
    color: str
    bold: bool = False

    @property
    def height(self) -> float:
        return len(self.lines) * self.size * LINE_HEIGHT if self.lines else 0.0


def wrap(text: str, width_px: float, size: float, bold: bool = False) -> list[str]:
    """Lines of `text` that fit `width_px` at font `size` (estimated from the average glyph width)."""
    if not text:
        return []
    chars = max(20, int(width_px / (size * (CHAR_WIDTH + (0.04 if bold else 0)))))
    return textwrap.wrap(text, chars, break_on_hyphens=False) or [text]


def _annotation(block: _Block, x_shift: float, y: float, y_shift: float) -> dict[str, Any]:
    text = "<br>".join(html.escape(line, quote=False) for line in block.lines)
    if block.bold:
        text = f"<b>{text}</b>"
    return {
        "text": text,
        "xref": "paper",
        "yref": "paper",
        "x": 0,
        "y": y,
        "xanchor": "left",
        "yanchor": "top",
        "xshift": x_shift,
        "yshift": y_shift,
        "align": "left",
        "showarrow": False,
        "font": {"size": block.size, "color": block.color},
    }


def _labels(values: Any) -> list[str]:
    return [str(v) for v in (values if values is not None else [])]


def _left_room(figure: go.Figure, font: float) -> float:
    """Pixels left of the plot for y tick labels and the y axis title."""
    widest = 0
    for trace in figure.data:
        ys = getattr(trace, "y", None)
        if ys is None:
            continue
        for y in ys:
            if isinstance(y, str):
                widest = max(widest, len(y))
            elif isinstance(y, int | float) and y == y:  # not NaN
                widest = max(widest, len(format_int(abs(y) * 1.1, "fi")) + 1)
    for axis in figure.select_yaxes():
        widest = max(widest, *(len(v) for v in _labels(axis.ticktext)), 0)
    room = widest * font * CHAR_WIDTH + font
    if any(axis.title.text for axis in figure.select_yaxes()):
        room += font * 1.9
    return room


def _bottom_room(figure: go.Figure, font: float) -> float:
    """Pixels below the plot for x tick labels (as many lines as they have) and the x axis title."""
    lines = 1
    for axis in figure.select_xaxes():
        lines = max(lines, *(v.count("<br>") + 1 for v in _labels(axis.ticktext)), 1)
    room = lines * font * LINE_HEIGHT + font
    if any(axis.title.text for axis in figure.select_xaxes()):
        room += font * 1.9
    return room


def _shows_legend(figure: go.Figure) -> bool:
    if figure.layout.showlegend is not None:
        return bool(figure.layout.showlegend)
    return sum(1 for trace in figure.data if trace.showlegend is not False) > 1


def compose(spec: FigureSpec, ctx: ExportContext, notes: list[str], preset: Preset) -> go.Figure:
    """The spec's figure with the furniture around it, sized for `preset`."""
    figure = go.Figure(spec.figure)
    font = preset.font
    pad = round(font * 1.5)
    usable = preset.width - 2 * pad
    header = [
        _Block(wrap(spec.title, usable, font * TITLE, bold=True), font * TITLE, INK, bold=True),
        _Block(wrap(spec.subtitle, usable, font * SUBTITLE), font * SUBTITLE, GREY),
    ]
    footer = [
        _Block([line for note in notes for line in wrap(note, usable, font * NOTE)], font * NOTE, GREY),
        _Block(wrap(source_line(spec, ctx), usable, font * NOTE), font * NOTE, INK),
        _Block(wrap(licence_line(ctx), usable, font * SMALL), font * SMALL, LIGHT),
    ]
    gap = font * 0.6
    left = pad + _left_room(figure, font)
    below_plot = _bottom_room(figure, font)
    legend = font * 2.2 if _shows_legend(figure) else 0
    top = pad + sum(b.height + gap for b in header) + font * 1.8  # room for the chart's own labels above the plot
    bottom = below_plot + legend + sum(b.height + gap for b in footer if b.lines) + pad
    plot_height = preset.height - top - bottom

    annotations = list(figure.layout.annotations)
    y_shift = top - pad
    for block in header:
        if block.lines:
            annotations.append(_annotation(block, pad - left, 1, y_shift))
            y_shift -= block.height + gap
    y_shift = -(below_plot + legend + gap)
    for block in footer:
        if block.lines:
            annotations.append(_annotation(block, pad - left, 0, y_shift))
            y_shift -= block.height + gap

    figure.update_xaxes(automargin=False)
    figure.update_yaxes(automargin=False)
    figure.update_layout(
        title={"text": ""},
        width=preset.width,
        height=preset.height,
        font={"size": font},
        margin={"l": left, "r": pad + font, "t": top, "b": bottom, "autoexpand": False},
        annotations=annotations,
        legend={
            "orientation": "h",
            "x": 0,
            "xanchor": "left",
            "y": -below_plot / max(plot_height, 1),
            "yanchor": "top",
        },
    )
    return figure
