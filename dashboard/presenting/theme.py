"""Colours, chart template and number formats: the one place pages and figures take them from."""

from __future__ import annotations

from collections.abc import Sequence

import plotly.graph_objects as go
import plotly.io as pio

from etl.i18n import format_date, format_int, format_number, format_percent_value

__all__ = ["format_date", "format_int", "format_number", "format_percent_value"]

# Okabe-Ito's hues (distinguishable with the common forms of colour blindness), the light ones
# darkened to at least 3:1 against the white plot, as WCAG 1.4.11 asks of marks: orange #E69F00,
# sky blue #56B4E9 and yellow #F0E442 were 2.3, 2.3 and 1.3 to 1.
OKABE_ITO = ["#0072B2", "#C27C00", "#009E73", "#D55E00", "#3D8EC9", "#CC79A7", "#8C8600", "#000000"]
# Beyond eight categories: darker shades of the same hues, so a long code list
# (referral sources, services) keeps one colour per code.
OKABE_ITO_DARK = ["#004A75", "#9A6A00", "#00664F", "#8F3900", "#2A7FAF", "#8E4F77", "#5C5800"]
CATEGORY_COLOURS = OKABE_ITO + OKABE_ITO_DARK
NETWORK = OKABE_ITO[0]
REFERENCE = "#555555"
MUTED = "#6B6B6B"  # unknown
OTHER = "#919191"  # other: lighter than unknown, still 3:1
HIDDEN = "#6E6E6E"  # markers of cells hidden by protection
BREAK = "#D55E00"
NOTE = "#6A3D9A"  # notes on periods: no category's colour nor the break's, 4.5:1 and more as small text
REPORTED = "#009E73"  # coverage matrix: a member reported for the period
NOT_REPORTED = "#E3E3E3"
# Submissions matrix: what needs the coordinator (light fills under dark text: 4.5:1 and more)
CAPTION_TEXT = "#5E5C5A"  # Streamlit's captions (its grey is 3.9:1 on white): 4.5:1 is what small text needs
MISSING_FILL = "#FAD9C8"
PENDING_FILL = "#FFF0B3"
FONT = "Source Sans Pro, Arial, sans-serif"
UNKNOWN_CODES = {"UNK"}
OTHER_CODES = {"OTH", "OTH_EU", "OTH_NON_EU", "X"}


def category_colours(codes: Sequence[str]) -> dict[str, str]:
    """One colour per code of a dimension, given every code in codebook order.

    Pages pass the whole code list (not only the codes on screen), so a code has
    the same colour on every page and in every selection. Unknown and other are grey.
    """
    colours: dict[str, str] = {}
    position = 0
    for code in codes:
        if code in UNKNOWN_CODES:
            colours[code] = MUTED
        elif code in OTHER_CODES:
            colours[code] = OTHER
        else:
            colours[code] = CATEGORY_COLOURS[position % len(CATEGORY_COLOURS)]
            position += 1
    return colours


TEMPLATE = go.layout.Template(
    layout=go.Layout(
        font={"family": FONT, "size": 14, "color": "#222222"},
        colorway=OKABE_ITO,
        paper_bgcolor="white",
        plot_bgcolor="white",
        xaxis={"showgrid": False, "linecolor": "#999999", "ticks": "outside"},
        yaxis={"gridcolor": "#E5E5E5", "zeroline": False, "rangemode": "tozero"},
        margin={"l": 60, "r": 20, "t": 40, "b": 60},
        legend={"orientation": "h", "y": -0.2},
        hoverlabel={"font": {"family": FONT}},
        # Decimal comma and a no-break space between thousands: Finnish style in every language.
        separators=",\u00a0",
    )
)
pio.templates["tilannekuva"] = TEMPLATE
