"""The auditor's quick checks give the answers of their plain definitions (etl.disclosure.audit)."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from etl.disclosure.audit import EMPTY, Auditor, Witness
from etl.disclosure.nodes import Relations

NODES = 6


@st.composite
def models(draw):
    """Relations over NODES nodes (some `<= 0`), values, a slack, and a few witnesses."""
    relations = Relations()
    for _ in range(draw(st.integers(1, 5))):
        picked = draw(st.lists(st.integers(0, NODES - 1), min_size=1, max_size=4, unique=True))
        terms = [(node, draw(st.sampled_from([-1.0, 1.0, 2.0]))) for node in picked]
        relations.add(terms, upper=draw(st.booleans()))
    values = np.array(draw(st.lists(st.integers(0, 20), min_size=NODES, max_size=NODES)), dtype=float)
    witnesses = []
    for _ in range(draw(st.integers(1, 4))):
        nodes = draw(st.lists(st.integers(0, NODES - 1), max_size=4, unique=True))
        moves = draw(st.lists(st.sampled_from([-3.0, -1.0, 0.5, 1.0, 4.0]), min_size=len(nodes), max_size=len(nodes)))
        witnesses.append(Witness(np.array(nodes, dtype=np.int64), np.array(moves)))
    shift = np.array(draw(st.lists(st.sampled_from([-1.0, 0.0, 2.0]), min_size=NODES, max_size=NODES)))
    return relations, values, witnesses, shift


def plainly_fits(auditor: Auditor, witness: Witness, sign: float, slack: np.ndarray) -> bool:
    """The definition: moving nothing always fits; otherwise every inequality stays within its slack."""
    if not len(witness.nodes):
        return True
    moved = np.zeros(auditor.rows.shape[1])
    moved[witness.nodes] = sign * witness.moves
    used = auditor.rows @ moved
    return bool(np.all(used[auditor.upper] <= slack[auditor.upper] + 1e-9))


@settings(max_examples=200, deadline=None)
@given(models())
def test_the_fitter_answers_as_the_definition_for_every_witness_and_slack(model):
    relations, values, witnesses, shift = model
    auditor = Auditor(relations, values)
    # The outsider's slack, and a member's own (smaller, even negative where its part exceeds the rest).
    for slack in (auditor.slack, auditor.slack_for(shift)):
        fits = auditor.fitter(slack)
        for witness in [*witnesses, EMPTY]:
            for sign in (1.0, -1.0):
                assert fits(witness, sign) == plainly_fits(auditor, witness, sign, slack)
                assert fits(witness, sign) == plainly_fits(auditor, witness, sign, slack)  # asked again: cached


def test_a_witness_tells_each_nodes_move_and_nothing_for_others():
    witness = Witness(np.array([4, 2, 4], dtype=np.int64), np.array([1.5, -2.0, 9.0]))
    assert witness.move(2) == -2.0
    assert witness.move(4) == 1.5  # the first move a node has
    assert witness.move(3) == 0.0
    assert EMPTY.move(0) == 0.0
