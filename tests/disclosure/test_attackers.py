"""What each attacker knows (etl.disclosure.attackers): the member's view of a node is worked out once."""

import numpy as np

from etl.disclosure import attackers
from tests.disclosure.builders import cross, one_d, run


def test_a_members_numbers_for_the_rest_of_each_node_match_the_rest_itself(monkeypatch):
    made = []
    of = attackers.Knowledge.of.__func__

    def keep(cls, *args, **kwargs):
        made.append(of(cls, *args, **kwargs))
        return made[-1]

    monkeypatch.setattr(attackers.Knowledge, "of", classmethod(keep))
    run(
        cross("a", ("sex", "age_group"), {("F", "Y18_29"): 9, ("M", "Y18_29"): 3, ("M", "Y30_39"): 4})
        + cross("b", ("sex", "age_group"), {("F", "Y18_29"): 8, ("M", "Y30_39"): 7})
        + one_d("c", "sex", {"F": 2, "M": 12})
    )
    knowledge = made[-1]
    for member in sorted(knowledge.own):
        numbers = knowledge._rest_ids(member)
        assert numbers is knowledge._rest_ids(member)  # made once
        inside = np.flatnonzero(knowledge.inside[member])
        assert (numbers[~knowledge.inside[member]] == -1).all() and (numbers[inside] >= 0).all()
        mine = knowledge._mine(member)
        rests = [knowledge._rest(mine, int(n)) for n in inside]
        for i, first in enumerate(inside):
            for j, second in enumerate(inside):
                assert (numbers[first] == numbers[second]) == (rests[i] == rests[j])
