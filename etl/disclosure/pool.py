"""The witness pool of secondary suppression (etl.disclosure.secondary): every perturbation found
for a year, and which certified figures rely on which, so that one witness serves many figures
and a retired witness sends exactly its users back to work."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from etl.disclosure.audit import TOLERANCE, Witness

Key = tuple[str, int]  # (attacker, node)
Use = tuple[int, float]  # (witness in the pool, +1 or -1: the witness or its mirror image)


@dataclass
class Pool:
    """Every witness found, and which certified figures rely on which."""

    witnesses: list[Witness] = field(default_factory=list)
    alive: list[bool] = field(default_factory=list)
    by_node: dict[int, set[int]] = field(default_factory=lambda: defaultdict(set))
    users: dict[int, set[Key]] = field(default_factory=lambda: defaultdict(set))
    certified: dict[Key, tuple[Use | None, Use | None]] = field(default_factory=dict)

    def copy(self) -> Pool:
        """A copy to go back to: its own indexes and certificates; the witnesses (immutable) shared."""
        return Pool(
            list(self.witnesses),
            list(self.alive),
            defaultdict(set, {node: set(users) for node, users in self.by_node.items()}),
            defaultdict(set, {index: set(keys) for index, keys in self.users.items()}),
            dict(self.certified),
        )

    def add(self, witness: Witness) -> int | None:
        if not len(witness.nodes):
            return None
        self.witnesses.append(witness)
        self.alive.append(True)
        index = len(self.witnesses) - 1
        for node in witness.nodes.tolist():
            self.by_node[node].add(index)
        return index

    def best(
        self, node: int, low: np.ndarray, high: np.ndarray, fits: Callable[[Witness, float], bool]
    ) -> tuple[tuple[float, Use | None], ...]:
        """The largest move up and down of `node` among the live witnesses this attacker's knowledge allows."""
        up: tuple[float, Use | None] = (0.0, None)
        down: tuple[float, Use | None] = (0.0, None)
        for index in sorted(self.by_node.get(node, ())):
            if not self.alive[index]:
                continue
            witness = self.witnesses[index]
            move = witness.move(node)
            for sign in (1.0, -1.0):
                amount = sign * move
                best = up if amount > 0 else down
                if abs(amount) > best[0] + TOLERANCE and witness.holds(low, high, sign) and fits(witness, sign):
                    if amount > 0:
                        up = (amount, (index, sign))
                    else:
                        down = (-amount, (index, sign))
        return up, down

    def certify(self, key: Key, up: Use | None, down: Use | None) -> None:
        self.release(key)
        self.certified[key] = (up, down)
        for use in (up, down):
            if use is not None:
                self.users[use[0]].add(key)

    def release(self, key: Key) -> None:
        for use in self.certified.pop(key, (None, None)):
            if use is not None:
                self.users[use[0]].discard(key)

    def kill(self, node: int) -> tuple[set[int], set[Key]]:
        """Retire the witnesses that move `node`; returns them and the figures that relied on them."""
        dead = {i for i in self.by_node.get(node, ()) if self.alive[i]}
        for index in dead:
            self.alive[index] = False
        return dead, {key for index in dead for key in self.users.get(index, ())}
