"""What a page must show, read from a snapshot with our own SQL, and what a page did show.

The expected side never goes through the dashboard's queries or the gate: it asks
the snapshot file directly, so a page that showed numbers of another version, or a
mix of two, cannot agree with it by construction.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from bench.harness.streamlit_client import PageRun
from etl.config import Settings
from etl.i18n import LANGUAGES, t
from etl.publish import snapshots

# The Overview's chart of network new clients per year (render_chart keys it chart-<figure id>).
NEW_CLIENTS_FIGURE = "overview.new_clients_by_year"
# What a reader may see: the network's protected yearly totals as published (a hidden one is NULL, left out).
NETWORK_NEW_CLIENTS_SQL = """
    SELECT year, value::BIGINT AS total
    FROM published_cell
    WHERE subset = 'all' AND measure = 'PERS_NEW' AND dim1 = '_T' AND dim2 = '_T' AND kind = 'Y'
      AND value IS NOT NULL
    ORDER BY year
"""
MEMBERS_SQL = """
    SELECT year, count(DISTINCT org_code)::BIGINT AS members
    FROM fact
    WHERE measure = 'PERS_NEW' AND dim1 = '_T' AND dim2 = '_T' AND kind = 'Y' AND value IS NOT NULL
    GROUP BY year ORDER BY year
"""
_MARK = "\x00"


def new_clients_by_year(snapshot: Path) -> dict[int, int]:
    """Network new clients per year as published in one snapshot file (hidden years left out)."""
    with snapshots.open_snapshot(snapshot) as con:
        return {int(year): int(total) for year, total in con.execute(NETWORK_NEW_CLIENTS_SQL).fetchall()}


def members_by_year(snapshot: Path) -> dict[int, int]:
    """How many members reported new clients for each year, in one snapshot file."""
    with snapshots.open_snapshot(snapshot) as con:
        return {int(year): int(members) for year, members in con.execute(MEMBERS_SQL).fetchall()}


def reported_new_clients(snapshot: Path) -> dict[tuple[str, str], int]:
    """Each member's new clients as sent, per (organisation, period): what a load changes, hidden or not."""
    sql = (
        "SELECT org_code, period, value FROM fact_reported "
        "WHERE measure = 'PERS_NEW' AND dim1 = '_T' AND dim2 = '_T' AND value IS NOT NULL"
    )
    with snapshots.open_snapshot(snapshot) as con:
        return {(org, period): int(value) for org, period, value in con.execute(sql).fetchall()}


def all_versions(data_dir: Path) -> dict[int, dict[int, int]]:
    """Every retained version's network new clients per year."""
    settings = Settings(data_dir=data_dir)
    return {v: new_clients_by_year(snapshots.snapshot_path(settings, v)) for v in snapshots.list_versions(settings)}


@cache
def _template_pattern(key: str, lang: str, **placeholders: str) -> re.Pattern[str]:
    """A message of the catalogue as a regex: each placeholder becomes the given group."""
    marked = t(key, lang, **{name: f"{_MARK}{name}{_MARK}" for name in placeholders})
    pattern = re.escape(marked)
    for name, group in placeholders.items():
        pattern = pattern.replace(re.escape(f"{_MARK}{name}{_MARK}"), group)
    return re.compile(f"^{pattern}$")


def caption_versions(texts: list[str]) -> list[int]:
    """Versions named by "Data version N, published ..." captions, in any language."""
    found = []
    for lang in LANGUAGES:
        pattern = _template_pattern("common.data_version", lang, version=r"(\d+)", date=r".+")
        found += [int(m.group(1)) for text in texts if (m := pattern.match(text))]
    return found


PERMALINK_VERSION = re.compile(r"[?&]v=(\d+)\b")
FIGURE_CODE_VERSION = re.compile(r"\bTK-(\d+)-[0-9a-f]{6}\b")


def versions_shown(run: PageRun) -> set[int]:
    """Every data version a page names: its caption, and its permalinks and figure ids where it has a menu."""
    versions = set(caption_versions(run.texts))
    for text in run.texts:
        versions.update(int(v) for v in PERMALINK_VERSION.findall(text))
        versions.update(int(v) for v in FIGURE_CODE_VERSION.findall(text))
    return versions


def _year(x: object) -> int:
    return int(str(x)[:4])


def chart_points(figure: dict) -> dict[int, int]:
    """(year, value) of the bars of a figure drawn over years; hidden values (null) are left out."""
    points: dict[int, int] = {}
    for trace in figure.get("data", []):
        if trace.get("type") != "bar":
            continue
        for x, y in zip(trace.get("x") or [], trace.get("y") or [], strict=False):
            if y is not None and y == y:  # not null, not NaN
                points[_year(x)] = int(y)
    return points


@dataclass(frozen=True)
class Seen:
    """What one page run showed, kept small: the versions it named and the chart's bars."""

    page: str
    seconds: float
    versions: frozenset[int]
    points: dict[int, int] | None  # the new-clients chart's bars, when the page has that chart
    errors: tuple[str, ...]

    @classmethod
    def of(cls, run: PageRun) -> Seen:
        figure = run.chart(NEW_CLIENTS_FIGURE)
        points = chart_points(figure) if figure is not None else None
        return cls(run.page, run.seconds, frozenset(versions_shown(run)), points, tuple(run.errors))

    @property
    def version(self) -> int | None:
        return next(iter(self.versions)) if len(self.versions) == 1 else None


def page_problems(seen: Seen, expected: dict[int, dict[int, int]]) -> list[str]:
    """Why this page run does not show exactly one complete version (empty when it does).

    `expected` maps each version to its network new clients per year. A page must name
    exactly one version, and a chart of new clients per year must show that version's
    numbers, no other.
    """
    problems = list(seen.errors)
    if seen.version is None:
        return [*problems, f"names versions {sorted(seen.versions)} (exactly one expected)"]
    if seen.version not in expected:
        return [*problems, f"names version {seen.version}, which has no complete snapshot"]
    totals = expected[seen.version]
    if seen.points is not None:
        wanted = {year: total for year, total in totals.items() if year in seen.points}
        if not seen.points or seen.points != wanted or max(seen.points) != max(totals):
            problems.append(f"version {seen.version}: the chart shows {seen.points}, its snapshot holds {totals}")
    return problems
