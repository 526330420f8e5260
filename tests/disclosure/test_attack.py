"""THE ATTACK: linear programming against everything the platform publishes, in every version.

For each year it computes, from all published cells of all retained versions, the
tightest range an outsider and each member knowing its own figures can derive for
every hidden cell and every member's own total (bench/harness/attack.py). No
hidden cell may be pinned, no `x` cell narrowed below the threshold, no member's
total pinned. The numbers are printed (pytest -s, or a failure's captured output);
`make bench` runs the same attack on every year of the demo and of 50x data.
"""

from __future__ import annotations

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench.harness.attack import attack_versions, codebook_facts
from bench.harness.attack_model import Version, build
from bench.harness.attack_solver import Report, attack
from etl.config import Settings
from etl.disclosure.tables import ALL, Subset
from etl.publish import snapshots
from tests.disclosure.builders import T, cross, member_cells, one_d, run

FORM, SEX, AGE = "exploitation_form", "sex", "age_group"
HYPOTHESIS = settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
# The demo's year with a revised member (2021) and its latest year; `make bench` attacks every year.
DEMO_YEARS = [2021, 2025]


def summarise(label: str, report: Report) -> None:
    ranges = report.ranges
    print(
        f"{label}: {len(ranges)} (hidden figure, attacker) pairs, {report.pinned} pinned, "
        f"{report.narrowed} `x` narrowed below the threshold"
    )
    if not report.failures.empty:
        print(report.failures.to_string())


def test_the_demo_withstands_the_attack_over_every_version(demo_data_dir):
    settings_ = Settings(data_dir=demo_data_dir)
    paths = [snapshots.snapshot_path(settings_, v) for v in snapshots.list_versions(settings_)]
    report = attack_versions(paths, settings_.disclosure_threshold, DEMO_YEARS)
    summarise(f"demo, {len(paths)} versions, years {DEMO_YEARS}", report)
    ranges = report.ranges
    assert (ranges["attacker"] == "outsider").sum() > 100  # plenty of hidden figures to attack
    assert ranges["attacker"].nunique() > 5  # and members knowing their own figures attack too
    assert ranges["subset"].str.startswith("member:").any()  # members' own totals are attacked
    assert report.failures.empty


# --- generated tables --------------------------------------------------------------------------

counts = st.integers(min_value=0, max_value=7)


def _check(rows: list[tuple], threshold: int = 5, subsets: list[Subset] | None = None) -> Report:
    out = run(rows, threshold=threshold, subsets=subsets).drop(columns=["persons"])
    groups = {("PERS_NEW", s.name): s.orgs for s in subsets or [] if s.orgs is not None}
    version = Version(1, member_cells(rows), out, groups)
    report = attack(build([version], 2024, codebook_facts(), threshold), threshold)
    assert report.failures.empty, report.failures.to_string()
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


def test_a_pinned_cell_is_reported():
    """The attack can fail: a breakdown published with one hidden cell and its total gives that cell away."""
    rows = one_d("a", SEX, {"F": 10, "M": 2}) + one_d("b", SEX, {"F": 8, "M": 7}) + one_d("c", SEX, {"F": 9, "M": 6})
    facts = member_cells(rows)
    careless = run(rows).drop(columns=["persons"])
    hidden = (careless["dim1"] == SEX) & (careless["code1"] == "M")
    careless.loc[hidden, ["value", "flag"]] = [pd.NA, "d"]  # only M hidden: F and the total give it away
    careless.loc[(careless["dim1"] == SEX) & (careless["code1"] == "F"), "value"] = 27
    careless.loc[(careless["dim1"] == SEX) & (careless["code1"] == "F"), "flag"] = ""
    careless.loc[(careless["dim1"] == SEX) & (careless["code1"] == T), ["value", "flag"]] = [42, ""]
    careless.loc[(careless["dim1"] == T), ["value", "flag"]] = [42, ""]
    report = attack(build([Version(1, facts, careless, {})], 2024, codebook_facts(), 5), 5)
    assert report.pinned > 0


def test_the_attacker_does_not_know_which_rows_a_member_sent():
    """A half-year table that is not published has the codes of its published year, sent or not.

    Member b sent no "not known" row for its second half. Had the attack left that row out (as 0),
    b's year of "not known" = its first half would be a fact nobody was told, and hidden cells
    around it would look pinned when they are not.
    """
    rows = []
    for org, first, second in [
        ("a", {"F": 6, "M": 4, "UNK": 2}, {"F": 5, "M": 4, "UNK": 1}),
        ("b", {"F": 7, "M": 3, "UNK": 1}, {"F": 6, "M": 6}),
        ("c", {"F": 8, "M": 5, "UNK": 3}, {"F": 4, "M": 9, "UNK": 2}),
    ]:
        rows += one_d(org, SEX, first, "H1") + one_d(org, SEX, second, "H2")
        year = {code: first.get(code, 0) + second.get(code, 0) for code in first}
        rows += one_d(org, SEX, year, "Y", derived=True)
    cells = run(rows).drop(columns=["persons"])
    yearly = cells[cells["kind"] == "Y"]  # as if the halves were not published
    model = build([Version(1, member_cells(rows), yearly, {})], 2024, codebook_facts(), 5)
    b_second_half = {key[5] for key in model.columns if key[:2] == ("b", "H2") and key[4] == SEX}
    assert b_second_half == {"F", "M", "UNK"}


def _versions_of(*versions: tuple[list[tuple], pd.DataFrame]) -> list[Version]:
    return [Version(number, member_cells(rows), cells, {}) for number, (rows, cells) in enumerate(versions, 1)]


def _columns_of(model, org: str) -> dict[str, int]:  # type: ignore[no-untyped-def]
    return {key[5]: column for key, column in model.columns.items() if key[0] == org and key[4] == SEX}


SENT = [
    *one_d("a", SEX, {"F": 6, "M": 4, "UNK": 2}),
    *one_d("b", SEX, {"F": 7, "M": 3}),
    *one_d("c", SEX, {"F": 8, "M": 5, "UNK": 3}),
]


def test_a_version_that_offers_no_table_does_not_tell_which_rows_a_member_sent():
    """A submission is the same unknowns in every version, with every code any version lists.

    Version 2 offers the total only (its sex table withheld). Had the attack written member b's
    total as the sum of the rows b sent (F and M), with version 1's F + M + UNK it would know b's
    "not known" is 0: a fact nobody was told. Found on the demo after a member's partial resend,
    where it pinned a like-for-like cell of the version before.
    """
    cells = run(SENT).drop(columns=["persons"])
    total_only = cells.assign(offered=cells["dim1"] == T)
    model = build(_versions_of((SENT, cells), (SENT, total_only)), 2024, codebook_facts(), 5)
    b = _columns_of(model, "b")
    assert set(b) == {"F", "M", "UNK"}
    own = {column for key, column in model.columns.items() if key[0] == "b"}
    b_alone = [terms for terms, _ in model.equal if b["F"] in terms and set(terms) <= own]
    assert b_alone and all(b["UNK"] in terms for terms in b_alone)  # b's total = F + M + UNK, never F + M


def test_a_code_an_offered_table_leaves_out_is_zero_for_its_members():
    """What a published table does tell: a code it does not list is 0 for everyone in it.

    In version 2 member a sends no "not known" (its 2 moved to F), and c is gone: the sex table
    lists F and M only, so b's "not known" is 0 there (the same unknown as in version 1).
    """
    revised = [
        *one_d("a", SEX, {"F": 8, "M": 4}),
        *one_d("b", SEX, {"F": 7, "M": 3}),
        *one_d("d", SEX, {"F": 9, "M": 6}),
    ]
    first, second = run(SENT).drop(columns=["persons"]), run(revised).drop(columns=["persons"])
    assert "UNK" not in set(second["code1"])
    model = build(_versions_of((SENT, first), (revised, second)), 2024, codebook_facts(), 5)
    b = _columns_of(model, "b")
    assert ({b["UNK"]: 1.0}, 0.0) in model.equal


def test_the_attack_reads_a_snapshot_the_dashboard_holds_open(tiny_settings: Settings):
    """`make bench` attacks in the process whose gate read the snapshots just before (DuckDB refuses
    a second connection to one file with another configuration)."""
    from bench.harness.attack_model import read_version
    from etl.sqlfiles import open_snapshot

    ref = snapshots.current(tiny_settings)
    assert ref is not None
    with open_snapshot(ref.path):  # as dashboard.reading.data holds it
        assert read_version(ref.path).number == ref.version
