"""Protection across versions (DATA-CONTRACT 8.2): every retained version is known to the attacker.

A member revises its figures between two versions. The second version is protected
against the first, without a carry rule: a cell the first hid only to protect another
is shown again where the attack over both versions still finds nothing.
"""

from __future__ import annotations

import pandas as pd

from bench.harness.attack import codebook_facts
from bench.harness.attack_model import Version, build
from bench.harness.attack_solver import attack
from etl.disclosure.engine import Prior, protect, year_state
from etl.disclosure.tables import ALL, Batch, Subset
from tests.disclosure.builders import T, measures, member_cells, one_d, shown

SEX = "sex"
# Four members; A's two persons of sex X in the first version are men in its revision.
FIRST = {
    "a": {"F": 10, "M": 6, "X": 2, "UNK": 3},
    "b": {"F": 12, "M": 9, "UNK": 3},
    "c": {"F": 9, "M": 8, "UNK": 3},
    "d": {"F": 9, "M": 7, "UNK": 3},
}
REVISED = {**FIRST, "a": {"F": 10, "M": 8, "X": 0, "UNK": 3}}


def _facts(members: dict[str, dict[str, int]]) -> pd.DataFrame:
    return member_cells([row for org, counts in members.items() for row in one_d(org, SEX, counts)])


def _publish(facts: pd.DataFrame, priors: list[Prior]) -> pd.DataFrame:
    cells = protect(Batch(facts, measures(), [Subset(ALL)]), 5, priors)
    return cells.drop(columns=["persons"])


def _versions() -> tuple[list[Version], pd.DataFrame, pd.DataFrame]:
    first_facts, revised_facts = _facts(FIRST), _facts(REVISED)
    first = _publish(first_facts, [])
    revised = _publish(revised_facts, [Prior(1, first_facts, first, [Subset(ALL)])])
    versions = [Version(1, first_facts, first, {}), Version(2, revised_facts, revised, {})]
    return versions, first, revised


def test_a_secondary_cell_of_the_first_version_is_shown_after_the_revision():
    _, first, revised = _versions()
    before, after = shown(first, dim1=SEX), shown(revised, dim1=SEX)
    assert before["X"] == "c" and before[T] == 84
    secondary = [code for code, value in before.items() if value == "d"]
    assert secondary  # the small count needed partners in the first version
    assert after == {"F": 40, "M": 32, "X": 0, "UNK": 12, T: 84}


def test_the_attack_over_both_versions_finds_nothing():
    versions, _, _ = _versions()
    report = attack(build(versions, 2024, codebook_facts(), 5), 5)
    assert len(report.ranges) >= 3  # the first version's three hidden cells, for the outsider and the members
    assert report.failures.empty, report.failures.to_string()


def test_an_unchanged_year_publishes_what_the_earlier_version_did():
    first_facts = _facts(FIRST)
    first = _publish(first_facts, [])
    again = _publish(first_facts, [Prior(1, first_facts, first, [Subset(ALL)])])
    assert shown(again, dim1=SEX) == shown(first, dim1=SEX)


def test_a_late_member_is_not_laid_bare_by_the_difference_between_versions():
    """A member's first file for a year already published: the new network minus the old is its figures."""
    first_facts = _facts(FIRST)
    first = _publish(first_facts, [])
    late = {**FIRST, "e": {"F": 6, "M": 5, "UNK": 2}}
    late_facts = _facts(late)
    second = _publish(late_facts, [Prior(1, first_facts, first, [Subset(ALL)])])
    versions = [Version(1, first_facts, first, {}), Version(2, late_facts, second, {})]
    report = attack(build(versions, 2024, codebook_facts(), 5), 5)
    late_total = report.ranges[(report.ranges["subset"] == "member:e") & (report.ranges["attacker"] == "outsider")]
    assert not late_total.empty  # the attack does look at the late member's own total
    assert report.failures.empty, report.failures.to_string()
    naive = _publish(late_facts, [])  # protected on its own, as without the earlier version
    assert shown(naive, dim1=SEX)[T] == shown(first, dim1=SEX)[T] + 13  # both totals shown: e's total laid bare
    assert shown(second, dim1=SEX)[T] == "d"


def test_a_higher_threshold_hides_a_count_an_earlier_version_showed():
    """Protected again at 50 (the setting changed): counts version 1 showed at 5 are now under the threshold.

    The attacker knows the old figures, but this version's figures follow this version's rules.
    """
    first_facts = _facts(FIRST)
    first = _publish(first_facts, [])
    was_shown = {code for code, value in shown(first, dim1=SEX).items() if isinstance(value, int) and 0 < value < 50}
    assert was_shown  # F 40, say
    again = protect(Batch(first_facts, measures(), [Subset(ALL)]), 50, [Prior(1, first_facts, first, [Subset(ALL)])])
    values = again[(again["dim1"] == SEX) & again["code1"].isin(was_shown)]["value"]
    assert len(values) == len(was_shown) and values.isna().all()


def test_a_code_left_out_of_a_table_taken_out_of_publication_is_no_longer_known():
    """Member a resends its total only; the new sex table (b, c, d) lists no X, so X is 0 for them.

    That is known only while the table is published. Once protection takes the table out, b, c
    and d's X is an unknown again: kept as known, it let a (who knows its own X) pin the cells the
    first version hid around X (found on the demo: a partial upload, 'could not be protected').
    """
    first_facts = _facts(FIRST)
    first = _publish(first_facts, [])
    resent = member_cells(
        [row for org, counts in FIRST.items() for row in one_d(org, SEX, counts)[: 1 if org == "a" else None]]
    )
    batch = Batch(resent, measures(), [Subset(ALL)])
    prepared = year_state(2024, resent, batch, 5, [Prior(1, first_facts, first, [Subset(ALL)])], set())
    assert prepared is not None
    cells, model, state = prepared
    x_of_others = [
        n for n, (code, mask) in enumerate(zip(model.codes, model.masks, strict=True))
        if code == (SEX, "X", T, T) and model.orgs(mask) == {"b", "c", "d"}
    ]  # fmt: skip
    assert x_of_others and state.knowledge.visible[x_of_others].all()
    sex_table = (cells["dim1"] == SEX).to_numpy()
    cells.loc[sex_table, "offered"] = False
    state.take_out(sex_table)
    assert not state.knowledge.visible[x_of_others].any()
