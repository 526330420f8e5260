"""Colours, chart template and number formats: the one place pages and figures take them from."""

from __future__ import annotations

import plotly.graph_objects as go
import plotly.io as pio

from etl.i18n import format_date, format_int, format_number, format_percent_value

__all__ = ["format_date", "format_int", "format_number", "format_percent_value"]

# Okabe-Ito: distinguishable with the common forms of colour blindness.
OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#56B4E9", "#CC79A7", "#F0E442", "#000000"]
NETWORK = OKABE_ITO[0]
REFERENCE = "#555555"
MUTED = "#8C8C8C"
BREAK = "#D55E00"
HIDDEN = "#6E6E6E"  # markers of hidden (protected) points: see dashboard/figures/protection.py
FONT = "Source Sans Pro, Arial, sans-serif"

TEMPLATE = go.layout.Template(
    layout=go.Layout(
        font={"family": FONT, "size": 14, "color": "#222222"},
        colorway=OKABE_ITO,
        paper_bgcolor="white",
        plot_bgcolor="white",
        xaxis={"showgrid": False, "linecolor": "#999999", "ticks": "outside"},
        yaxis={"gridcolor": "#E5E5E5", "zeroline": False, "rangemode": "tozero"},
        margin={"l": 60, "r": 20, "t": 60, "b": 60},
        legend={"orientation": "h", "y": -0.2},
        # Decimal comma and a no-break space between thousands: Finnish style in every language.
        separators=",\u00a0",
    )
)
pio.templates["tilannekuva"] = TEMPLATE
