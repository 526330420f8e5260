"""A member's epoch: the same cells give the same key, a changed cell another (etl.disclosure.epochs)."""

import pandas as pd
from hypothesis import assume, given
from hypothesis import strategies as st

from etl.codebook import load_codebook
from etl.disclosure.epochs import epoch_keys
from etl.disclosure.model import T_CODE, build
from etl.disclosure.nodes import Layer, Model
from etl.disclosure.tables import ALL, Subset, published_cells, with_margins
from tests.disclosure.builders import T, measures, member_cells, one_d

CODES = ["_T", "LAB", "SEX", "OTHER"]


def _facts(values: dict[tuple[str, str], float]) -> pd.DataFrame:
    rows = [
        (org, "PERS_NEW", "Y", "exploitation_form", code, "_T", "_T", value, code == "_T")
        for (org, code), value in values.items()
    ]
    columns = ["org_code", "measure", "kind", "dim1", "code1", "dim2", "code2", "value", "margin"]
    return pd.DataFrame(rows, columns=columns)


cells = st.dictionaries(
    st.tuples(st.sampled_from(["a", "b", "c"]), st.sampled_from(CODES)),
    st.integers(0, 10_000).map(float),
    min_size=1,
)


@given(cells, st.randoms())
def test_the_key_does_not_depend_on_the_order_of_the_rows(values, random):
    facts = _facts(values)
    shuffled = facts.sample(frac=1, random_state=random.randrange(2**32)).reset_index(drop=True)
    assert epoch_keys(shuffled) == epoch_keys(facts)


@given(cells, st.data())
def test_a_changed_cell_changes_only_its_members_key(values, data):
    inner = [key for key in values if key[1] != "_T"]  # margins are not the member's own cells
    assume(inner)
    changed = data.draw(st.sampled_from(inner))
    before = epoch_keys(_facts(values))
    after = epoch_keys(_facts({**values, changed: values[changed] + 1}))
    org = changed[0]
    assert after[org] != before[org]
    assert {o: k for o, k in after.items() if o != org} == {o: k for o, k in before.items() if o != org}
    assert set(before) == {o for (o, code) in values if code != "_T"}


# --- a resend: unchanged measures are the same unknowns, a changed one brings a revision ---------


def _layer(version: int, facts: pd.DataFrame, frozen: bool, offered: str | None) -> Layer:
    facts = with_margins(facts)
    cells = published_cells(facts, [Subset(ALL)])
    cells["reason"], cells["offered"] = None, offered is None or cells["measure"] == offered
    return Layer(version, facts, cells, frozen)


def _resend_model(police_again: int = 4, offered: str | None = None) -> tuple[Model, dict[str, int]]:
    """Members a, b, c; a resends its year with one more man (and `police_again` reported to the police).

    `offered`: the one measure whose tables the versions publish (default: every table)."""
    people = {"a": {"F": 10, "M": 6}, "b": {"F": 12, "M": 9}, "c": {"F": 9, "M": 8}}
    police = {"a": 4, "b": 7, "c": 5}

    def facts(people: dict, police: dict) -> pd.DataFrame:
        new = member_cells([row for org, counts in people.items() for row in one_d(org, "sex", counts)])
        told = member_cells([(org, "Y", T, T, T, T, n) for org, n in police.items()], measure="REPORTED_POLICE")
        return pd.concat([new, told], ignore_index=True)

    first = _layer(1, facts(people, police), frozen=True, offered=offered)
    resent = _layer(0, facts({**people, "a": {"F": 10, "M": 7}}, {**police, "a": police_again}), False, offered)
    model = build([first, resent], measures(), load_codebook().part_whole)
    return model, {"before": 1 << model.bits[0]["a"], "after": 1 << model.bits[1]["a"]}


def test_a_measure_resent_unchanged_is_the_same_unknowns_in_both_versions():
    model, a = _resend_model()
    others = (1 << model.bits[0]["b"]) | (1 << model.bits[0]["c"])
    police = ("REPORTED_POLICE", "Y", T, T)
    assert model.same_group(police, a["after"] | others) == a["before"] | others
    assert model.find(police, T_CODE, a["after"] | others) == model.find(police, T_CODE, a["before"] | others)
    assert not any(delta and table == police for delta, table in zip(model.delta, model.tables, strict=True))


def test_a_changed_measure_brings_new_unknowns_and_the_revision_between_them():
    model, a = _resend_model()
    new = ("PERS_NEW", "Y", "sex", T)
    assert model.same_group(new, a["after"]) == a["after"]
    changes = {
        (model.codes[n], model.values[n]) for n, delta in enumerate(model.delta) if delta and model.tables[n] == new
    }
    assert changes == {(("sex", "M", T, T), 1.0), (("sex", T, T, T), 1.0)}  # the man, and the total he is in


def test_a_revision_in_a_table_no_version_publishes_adds_no_unknowns():
    model, _ = _resend_model(police_again=5, offered="PERS_NEW")  # the police figure is revised, never published
    assert "REPORTED_POLICE" not in {table[0] for table in model.tables}
    assert any(delta for delta in model.delta)  # the published table's revision is there


def test_a_chain_of_unchanged_resends_points_at_the_first_epoch_with_those_figures():
    from types import SimpleNamespace

    import numpy as np

    from etl.disclosure.epochs import aliases

    # Two units of one member over four epochs: PERS_NEW sent the same three times, then changed;
    # SERV changed at once, then resent unchanged twice.
    matrix = np.array(
        [
            [5.0, 5.0, 5.0, 6.0],  # PERS_NEW 2025, total
            [np.nan, np.nan, np.nan, np.nan],  # PERS_NEW 2025, a cell not collected (NaN equals NaN here)
            [2.0, 3.0, 3.0, 3.0],  # SERV 2025, total
        ]
    )
    rows = {("PERS_NEW", "2025", "_T"): 0, ("PERS_NEW", "2025", "F"): 1, ("SERV", "2025", "_T"): 2}
    model = SimpleNamespace(rows=rows, matrix=matrix)
    got = aliases(model, [(2, 1), (1, 0), (3, 2)])  # type: ignore[arg-type]
    assert got == {("PERS_NEW", "2025"): [(1, 0), (2, 0)], ("SERV", "2025"): [(2, 1), (3, 1)]}
