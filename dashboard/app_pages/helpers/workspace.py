"""The coordinator's workspace, without Streamlit: tables the staff pages show.

Nothing here is cached. The network part of an upload's preview goes through
the disclosure gate (dashboard.reading.gate.network) on the published snapshot and on
the private preview snapshot, so "after" is what would be published.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from dashboard.reading import data, gate
from etl.codebook import TOTAL, load_codebook
from etl.i18n import format_int, t
from etl.intake.problems import ERROR, Problem, grouped
from etl.periods import Period, parse_period
from etl.publish.preview import Preview, discard
from etl.services.workflow import Upload

Progress = Callable[[float, str], None]


@dataclass
class Wizard:
    """One session's upload and its preview (kept in st.session_state only; defined here, not in the
    page script, so an object from an earlier run is still an instance of this class)."""

    upload: Upload
    previews: dict[str, tuple[Preview, pd.DataFrame | None]] = field(default_factory=dict)  # period -> preview

    def discard(self) -> None:
        for built, _ in self.previews.values():
            discard(built)
        self.previews.clear()


def state_label(state: str, lang: str) -> str:
    return t(f"workspace.state.{state}", lang)


def status_label(status: str, lang: str) -> str:
    """A submission version's status (draft, pending, published, superseded, ...)."""
    return t(f"workspace.status.{status}", lang)


def recent_periods(today: date, years: int = 6) -> list[str]:
    """Periods that have ended, newest first: each year, then its second and first half."""
    out = []
    for year in range(today.year, today.year - years - 1, -1):
        for half in (0, 2, 1):
            period = Period(year, half)
            if period.has_ended(today):
                out.append(period.code)
    return out


# Labels --------------------------------------------------------------------------


def measure_label(measure: str, lang: str) -> str:
    return load_codebook().measures[measure].label.get(lang)


def breakdown_label(dim1: str, dim2: str, lang: str) -> str:
    book = load_codebook()
    if dim1 == TOTAL:
        return t("workspace.total", lang)
    names = [book.dimensions[d].label.get(lang) for d in (dim1, dim2) if d != TOTAL]
    return " × ".join(names)


def category_label(dim1: str, code1: str, dim2: str, code2: str, lang: str) -> str:
    book = load_codebook()
    parts = []
    for dimension, code in ((dim1, code1), (dim2, code2)):
        if dimension == TOTAL or code == TOTAL:
            continue
        try:
            parts.append(book.label(dimension, code, lang))
        except KeyError:
            parts.append(code)
    return " · ".join(parts) or t("workspace.total", lang)


def _number(value: object, lang: str) -> str:
    """A count, or "–" for a cell that is not there (or not collected)."""
    return "–" if value is None or pd.isna(value) else format_int(int(value), lang)  # type: ignore[call-overload]


def _signed(value: object, lang: str) -> str:
    if value is None or pd.isna(value):
        return ""
    number = int(value)  # type: ignore[call-overload]
    return ("+" if number > 0 else "") + format_int(number, lang).replace("-", "−")


# Problems ------------------------------------------------------------------------


def problem_table(problems: list[Problem], lang: str) -> pd.DataFrame:
    """Every distinct problem once, with its places (sheet, rows, column) and what to do, in the reader's language.

    Errors first: they are what stops the file (a long list of warnings must not push them out of sight).
    """
    names = ("severity", "where", "value", "message")
    rows = [
        (
            t(f"contrib.severity_{'error' if group.severity == ERROR else 'warning'}", lang),
            group.location(lang),  # "sheet …, rows 3–31 (29 rows), column …" in the reader's language
            group.value(),
            group.message,
        )
        for group in sorted(grouped(problems, lang), key=lambda group: group.severity != ERROR)
    ]
    return pd.DataFrame(rows, columns=[t(f"workspace.problems.{name}", lang) for name in names])


# The preview -----------------------------------------------------------------------


def exact_table(preview: Preview, lang: str, changed_only: bool = True) -> pd.DataFrame:
    """The organisation's own cells: published, uploaded, difference (exact figures)."""
    frame = preview.exact[preview.exact["changed"]] if changed_only else preview.exact
    columns = ("measure", "breakdown", "category", "before", "after", "difference")
    rows = [
        (
            measure_label(r.measure, lang),
            breakdown_label(r.dim1, r.dim2, lang),
            category_label(r.dim1, r.code1, r.dim2, r.code2, lang),
            _number(r.before, lang),
            _number(r.after, lang),
            _signed(r.difference, lang),
        )
        for r in frame.itertuples(index=False)
    ]
    return pd.DataFrame(rows, columns=[t(f"workspace.preview.{name}", lang) for name in columns])


def _views(preview: Preview) -> list[tuple[gate.View, str]]:
    """Each (measure, breakdown) of the upload, for its period and, for a half-year, its year."""
    parsed = parse_period(preview.period)
    assert parsed is not None
    tables = preview.exact[["measure", "dim1", "dim2"]].drop_duplicates().itertuples(index=False)
    views = []
    for measure, dim1, dim2 in tables:
        year = parsed.year
        if parsed.half:
            views.append((gate.View(measure, dim1, dim2, True, year, year), parsed.code))
        views.append((gate.View(measure, dim1, dim2, False, year, year), str(year)))
    return views


def network_changes(preview: Preview, lang: str, progress: Progress | None = None) -> pd.DataFrame:
    """Protected network figures now and as they would be published, per measure, breakdown and period.

    Both sides come from the gate, so hidden cells stay hidden; the change is shown
    only where both sides are visible.
    """
    names = ("measure", "breakdown", "period", "category", "before", "after", "difference", "changed")
    columns = [t(f"workspace.preview.{name}", lang) for name in names]
    if preview.before is None or preview.after is None:
        return pd.DataFrame(columns=columns)
    with data.private_snapshot(preview.after):
        rows = _network_rows(preview, lang, progress)
    return pd.DataFrame(rows, columns=columns)


def _network_rows(preview: Preview, lang: str, progress: Progress | None) -> list[tuple[object, ...]]:
    assert preview.before is not None and preview.after is not None
    views = _views(preview)
    rows: list[tuple[object, ...]] = []
    for step, (view, period) in enumerate(views):
        if progress:
            progress(step / len(views), measure_label(view.measure, lang))
        before = gate.network(preview.before, view)
        after = gate.network(preview.after, view)
        before = before[before["period"] == period].assign(shown=gate.display(before, lang))
        after = after[after["period"] == period].assign(shown=gate.display(after, lang))
        both = before.merge(after, on=["period", "code1", "code2"], how="outer", suffixes=("_b", "_a"))
        for r in both.itertuples(index=False):
            old, new = r.value_b, r.value_a
            visible = not (pd.isna(old) or pd.isna(new))
            rows.append(
                (
                    measure_label(view.measure, lang),
                    breakdown_label(view.dim1, view.dim2, lang),
                    period,
                    category_label(view.dim1, r.code1, view.dim2, r.code2, lang),
                    "" if pd.isna(r.shown_b) else str(r.shown_b),
                    "" if pd.isna(r.shown_a) else str(r.shown_a),
                    _signed(int(new) - int(old), lang) if visible else "",
                    (str(r.shown_b) != str(r.shown_a)) or (r.flag_b != r.flag_a),
                )
            )
    if progress:
        progress(1.0, "")
    return rows
