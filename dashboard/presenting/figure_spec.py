"""Everything a chart needs to be shown, explained, downloaded and cited, in one value.

Pages build a FigureSpec per chart (figure from a pure function, the protected
table behind it) and hand it to dashboard.components.chart.render_chart; the
export code turns the same spec into images, tables, citations and packs.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
import plotly.graph_objects as go

from etl.publish.snapshots import SnapshotRef


@dataclass
class FigureSpec:
    figure_id: str  # stable name of the chart, e.g. "overview.new_clients_by_year"
    title: str  # says what is counted
    subtitle: str  # period, unit, coverage
    figure: go.Figure  # built by a pure function in dashboard/presenting/figures
    table: pd.DataFrame  # the displayed, protected numbers, with column headers in `lang`
    summary: str  # one sentence for screen readers (and the seed of the alt text)
    snapshot: SnapshotRef  # the data version the figure comes from
    lang: str
    notes: list[str] = field(default_factory=list)  # caveat, series breaks, protection legend
    view: dict[str, str] = field(default_factory=dict)  # the URL state that reproduces the view
    members_reported: str = ""  # e.g. "9-11 members reported" (dashboard.exports.provenance.members_text)
    # Optional flag letters per displayed cell (same index, a subset of `table`'s columns), e.g. "p" for
    # provisional. Without it, exports derive c/d from the protection markers ("<5", "x") in `table`.
    flags: pd.DataFrame | None = None
    # What the figure counts, for the definitions in exports (codebook codes): a measure and its breakdown.
    measure: str = ""
    dimensions: tuple[str, ...] = ()
    # What the table files (CSV, XLSX) hold when it is more than `table`: a breakdown's total and every
    # group, the drawn ones marked (presenting.tables.whole_breakdown). None: they hold `table`.
    numbers: pd.DataFrame | None = None
