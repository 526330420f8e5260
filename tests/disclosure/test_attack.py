"""THE ATTACK: linear programming against everything the platform publishes.

For every cluster (measure x year) it computes, from all published cells that share
persons, the tightest range an outsider can derive for each hidden cell
(tests/disclosure/attack.py). No hidden cell may be pinned to one value. The
numbers are printed (pytest -s, or the captured output of a failure) and the
benchmark report repeats them for the demo data.
"""

from __future__ import annotations

from itertools import pairwise

import duckdb
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from etl import snapshots
from etl.codebook import load_codebook
from etl.config import Settings
from etl.disclosure.tables import ALL, Subset
from tests.disclosure.attack import Report, attack, hidden_to_attack
from tests.disclosure.builders import T, cross, member_cells, one_d, run

FORM, SEX, AGE = "exploitation_form", "sex", "age_group"
HYPOTHESIS = settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def published_snapshot(path) -> tuple[pd.DataFrame, pd.DataFrame, dict]:
    """(member cells, published cells, {measure: {subset: members}}) of one snapshot."""
    with snapshots.open_snapshot(path) as con:
        facts = con.execute(
            "SELECT org_code, measure, year, kind, dim1, code1, dim2, code2, value::DOUBLE AS value, derived FROM fact"
        ).df()
        published = con.execute("SELECT * FROM published_cell").df()
        members = con.execute("SELECT measure, subset, org_code FROM published_level_member").df()
    groups: dict[str, dict[str, frozenset[str] | None]] = {}
    for (measure, subset), rows in members.groupby(["measure", "subset"]):
        groups.setdefault(measure, {})[subset] = frozenset(rows["org_code"])
    return facts, published, groups


def attack_snapshot(path, threshold: int, exact: int | None = 20) -> list[tuple[str, int, Report]]:
    facts, published, groups = published_snapshot(path)
    book = load_codebook()
    reports = []
    for (measure, year), cells in published.groupby(["measure", "year"]):
        targets = hidden_to_attack(cells)
        if targets is None:
            continue
        measure_info = book.measures[measure]
        members = facts[(facts["measure"] == measure) & (facts["year"] == year)]
        report = attack(
            members.drop(columns=["measure", "year"]),
            targets.drop(columns=["measure", "year"]),
            {ALL: None, **groups.get(measure, {})},
            threshold,
            measure_info.nature,
            measure_info.multi_response,
            exact=exact,
        )
        reports.append((measure, int(year), report))
    return reports


def _narrow(exact: pd.DataFrame, threshold: int) -> str:
    """How many exactly solved cells an outsider narrows below what DATA-CONTRACT 8.7 hopes for (reported).

    The issue's bar is "none pinned"; the contract also asks each hidden cell to keep a range
    of the threshold, which a `<t` cell cannot (its own display gives 1..t-1): counted here
    as a `<t` cell narrowed inside 1..t-1, and an `x` cell whose range is under t.
    """
    small = exact["flag"].str.contains("c")
    narrowed = (small & (exact["width"] < threshold - 2 - 1e-6)).sum()
    tight = (~small & (exact["width"] < threshold - 1e-6)).sum()
    return (
        f"  narrowed: {narrowed} of {small.sum()} `<{threshold}` cells inside 1..{threshold - 1}, "
        f"{tight} of {(~small).sum()} `x` cells to a range under {threshold} (exactly solved cells)"
    )


def summarise(label: str, reports: list[tuple[str, int, Report]], threshold: int = 5) -> tuple[int, int, float]:
    hidden = sum(r.hidden for _, _, r in reports)
    pinned = sum(r.pinned for _, _, r in reports)
    widths = pd.concat([r.ranges.loc[r.ranges["exact"], "width"] for _, _, r in reports if r.hidden])
    median = float(widths.median()) if len(widths) else float("nan")
    print(f"{label}: {len(reports)} clusters, {hidden} hidden cells, {pinned} pinned, median range width {median:.1f}")
    print(_narrow(pd.concat([r.ranges[r.ranges["exact"]] for _, _, r in reports if r.hidden]), threshold))
    for measure, year, report in reports:
        if report.pinned:
            print(report.summary(f"  {measure} {year}"))
            print(report.ranges[report.ranges["pinned"]].to_string())
    return hidden, pinned, median


def test_the_demo_data_withstands_the_attack(demo_data_dir):
    settings_ = Settings(data_dir=demo_data_dir)
    current = snapshots.current(settings_)
    reports = attack_snapshot(current.path, settings_.disclosure_threshold)
    hidden, pinned, median = summarise(f"demo v{current.version}", reports, settings_.disclosure_threshold)
    assert hidden > 500  # the demo has plenty of small counts to protect
    assert pinned == 0
    assert median >= 2  # a `<5` cell keeps most of 1..4


def test_no_member_total_is_pinned_in_the_demo(demo_data_dir):
    """Figures of one organisation are never public: an outsider cannot pin any member's yearly total."""
    from tests.disclosure.attack import member_totals

    settings_ = Settings(data_dir=demo_data_dir)
    facts, published, groups = published_snapshot(snapshots.current(settings_).path)
    for year in (2019, 2024):
        chosen = (facts["measure"] == "PERS_NEW") & (facts["year"] == year)
        cells = published[(published["measure"] == "PERS_NEW") & (published["year"] == year)]
        ranges = member_totals(
            facts[chosen].drop(columns=["measure", "year"]),
            hidden_to_attack(cells, keep_withheld=True).drop(columns=["measure", "year"]),
            {ALL: None, **groups.get("PERS_NEW", {})},
            settings_.disclosure_threshold,
        )
        print(f"PERS_NEW {year}: member totals, narrowest range {ranges['width'].min():.0f}")
        assert not ranges["pinned"].any(), ranges


def test_hidden_cells_stay_hidden_in_later_versions(demo_data_dir):
    settings_ = Settings(data_dir=demo_data_dir)
    versions = snapshots.list_versions(settings_)
    key = ["subset", "measure", "year", "kind", "dim1", "code1", "dim2", "code2"]
    checked = 0
    for earlier, later in pairwise(versions):
        with duckdb.connect(str(snapshots.snapshot_path(settings_, earlier)), read_only=True) as con:
            before = con.execute(
                "SELECT * FROM published_cell WHERE value IS NULL AND flag SIMILAR TO '.*[cd].*' "
                "AND reason NOT IN ('members', 'group')"  # withheld tables were not published at all
            ).df()
        with duckdb.connect(str(snapshots.snapshot_path(settings_, later)), read_only=True) as con:
            after = con.execute("SELECT * FROM published_cell").df()
        both = before[key].merge(after, on=key)
        assert both["value"].isna().all(), both[both["value"].notna()]
        checked += len(both)
    assert checked > 1000


# --- generated tables --------------------------------------------------------------------------

counts = st.integers(min_value=0, max_value=7)


def _check(rows: list[tuple], threshold: int = 5, subsets: list[Subset] | None = None) -> Report:
    out = run(rows, threshold=threshold, subsets=subsets)
    targets = hidden_to_attack(out)
    groups = {s.name: s.orgs for s in subsets or [Subset(ALL)]}
    if targets is None:
        return Report(pd.DataFrame(columns=["pinned", "width", "exact"]))
    report = attack(member_cells(rows).drop(columns=["measure", "year"]), targets.drop(columns=["measure", "year"]),
                    groups, threshold)  # fmt: skip
    assert report.pinned == 0, report.ranges[report.ranges["pinned"]].to_string()
    return report


@HYPOTHESIS
@given(st.lists(st.tuples(counts, counts, counts), min_size=3, max_size=5))
def test_generated_breakdowns_with_their_total(members):
    rows = []
    for i, (f, m, x) in enumerate(members):
        rows += one_d(f"org{i}", SEX, {"F": f, "M": m, "X": x})
    _check(rows)


@HYPOTHESIS
@given(st.lists(st.tuples(counts, counts, counts, counts, counts, counts), min_size=3, max_size=4))
def test_generated_crosses_with_their_margins(members):
    rows = []
    for i, values in enumerate(members):
        cells = dict(zip([(a, b) for a in ("LAB", "SEX", "MAR") for b in ("F", "M")], values, strict=True))
        rows += cross(f"org{i}", (FORM, SEX), cells)
    _check(rows)


@HYPOTHESIS
@given(st.lists(st.tuples(counts, counts, counts, counts), min_size=3, max_size=5))
def test_generated_breakdowns_of_one_measure(members):
    rows = []
    for i, (lab, sex_, young, old) in enumerate(members):
        total = lab + sex_
        adult = max(total - young, 0)
        rows += one_d(f"org{i}", FORM, {"LAB": lab, "SEX": sex_})
        rows += [r for r in one_d(f"org{i}", AGE, {"Y0_17": total - adult, "Y18_29": min(adult, old), "Y30_39": adult - min(adult, old)}) if r[2] != T]  # fmt: skip
    _check(rows)


@HYPOTHESIS
@given(
    st.lists(st.tuples(counts, counts, counts, counts), min_size=3, max_size=4),
    st.lists(st.tuples(counts, counts), min_size=0, max_size=4),
)
def test_generated_years_with_halves(half_yearly, yearly):
    rows = []
    for i, (f1, m1, f2, m2) in enumerate(half_yearly):
        rows += one_d(f"half{i}", SEX, {"F": f1, "M": m1}, "H1") + one_d(f"half{i}", SEX, {"F": f2, "M": m2}, "H2")
        rows += one_d(f"half{i}", SEX, {"F": f1 + f2, "M": m1 + m2}, "Y", derived=True)
    for i, (f, m) in enumerate(yearly):
        rows += one_d(f"year{i}", SEX, {"F": f, "M": m})
    _check(rows)


@HYPOTHESIS
@given(st.lists(st.tuples(counts, counts), min_size=6, max_size=9), st.integers(min_value=3, max_value=6))
def test_generated_network_with_a_like_for_like_group(members, size):
    rows = []
    for i, (f, m) in enumerate(members):
        rows += one_d(f"org{i}", SEX, {"F": f, "M": m})
    group = frozenset(f"org{i}" for i in range(min(size, len(members))))
    subsets = [Subset(ALL), Subset("lfl-Y-2020", group, ("Y",), "PERS_NEW", 2020)]
    _check(rows, subsets=subsets)
