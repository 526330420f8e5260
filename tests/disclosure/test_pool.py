"""The witness pool (etl.disclosure.pool): a checkpoint of secondary suppression is a copy to go back to."""

import copy
from collections import defaultdict

import numpy as np

from etl.disclosure.audit import Witness
from etl.disclosure.pool import Pool


def _state(pool: Pool) -> tuple:
    return (
        [(w.nodes.tolist(), w.moves.tolist()) for w in pool.witnesses],
        list(pool.alive),
        {node: set(users) for node, users in pool.by_node.items()},
        {index: set(keys) for index, keys in pool.users.items()},
        dict(pool.certified),
    )


def test_a_copied_pool_changes_apart_from_the_original_and_equals_a_deep_copy():
    pool = Pool()
    first = pool.add(Witness(np.array([0, 1], dtype=np.int64), np.array([1.0, -1.0])))
    pool.add(Witness(np.array([1, 2], dtype=np.int64), np.array([2.0, -2.0])))
    pool.certify(("", 1), (first, 1.0), None)
    before = _state(pool)
    copied = pool.copy()
    assert _state(copied) == _state(copy.deepcopy(pool)) == before
    copied.add(Witness(np.array([2, 3], dtype=np.int64), np.array([1.0, -1.0])))
    copied.kill(1)
    copied.certify(("b", 2), (1, -1.0), (first, 1.0))
    copied.release(("", 1))
    assert _state(pool) == before  # the original is as it was
    assert copied.by_node[2] == {1, 2} and not any(copied.alive[:2])
    assert isinstance(copied.by_node, defaultdict) and isinstance(copied.users, defaultdict)  # as the pool uses them
