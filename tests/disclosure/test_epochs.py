"""A member's epoch: the same cells give the same key, a changed cell another (etl.disclosure.epochs)."""

import pandas as pd
from hypothesis import assume, given
from hypothesis import strategies as st

from etl.disclosure.epochs import epoch_keys

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
