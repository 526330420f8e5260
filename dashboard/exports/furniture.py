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
LEGEND_SYMBOL, LEGEND_ROW = 46, 1.7  # px of a legend entry's symbol and gap; a legend row, in font sizes
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


def legend_entries(figure: go.Figure) -> list[str]:
    """The names the figure's legend shows, in order (none when the legend is off)."""
    shown = [t.name for t in figure.data if t.type != "heatmap" and t.showlegend is not False and t.name]
    if figure.layout.showlegend is not None:
        return shown if figure.layout.showlegend else []
    return shown if len(shown) > 1 else []


@dataclass(frozen=True)
class _Legend:
    """A horizontal legend in aligned columns, each entry `text_px` of text after its symbol."""

    entries: int
    text_px: float
    per_row: int
    size: float

    @classmethod
    def of(cls, names: list[str], usable: float, size: float) -> _Legend:
        text_px = max((len(name) for name in names), default=0) * size * (CHAR_WIDTH + 0.04) + size
        per_row = max(1, int(usable // (text_px + LEGEND_SYMBOL)))
        return cls(len(names), text_px, per_row, size)

    @property
    def height(self) -> float:
        rows = -(-self.entries // self.per_row)
        return rows * self.size * LEGEND_ROW + (self.size * 0.6 if rows else 0.0)


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
    right = pad + font
    legend = _Legend.of(legend_entries(figure), preset.width - left - right, font * NOTE)  # plotly wraps at the plot
    top = pad + sum(b.height + gap for b in header) + font * 1.8  # room for the chart's own labels above the plot
    bottom = below_plot + legend.height + sum(b.height + gap for b in footer if b.lines) + pad

    annotations = list(figure.layout.annotations)
    y_shift = top - pad
    for block in header:
        if block.lines:
            annotations.append(_annotation(block, pad - left, 1, y_shift))
            y_shift -= block.height + gap
    y_shift = -(below_plot + legend.height + gap)
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
        margin={"l": left, "r": right, "t": top, "b": bottom, "autoexpand": False},
        annotations=annotations,
        legend={  # in pixels of the canvas: every row inside it, whatever the page's legend did
            "orientation": "h",
            "xref": "container",
            "yref": "container",
            "x": pad / preset.width,
            "xanchor": "left",
            "y": (bottom - below_plot) / preset.height,
            "yanchor": "top",
            "entrywidth": legend.text_px,
            "entrywidthmode": "pixels",
            "font": {"size": legend.size},
            "traceorder": "normal",
        },
    )
    return figure
