"""Who attacks, what each one knows, and what each must not learn (DATA-CONTRACT 8.2, 8.5, 8.7).

The *outsider* reads every retained version: each visible cell exactly, each `<t`
cell as 1..t-1, each `x` cell as a count >= 0. An *insider* is a member that also
knows its own figures: every node holding its epochs is at least its own part, and a
node of its epochs alone is known.

What must stay unknown, as a move a perturbation must reach (`need`):
- a hidden published cell: an `x` cell keeps a range of the threshold, a `<t` cell
  is not pinned (range >= 1);
- a cell of a folded cross row (its table is published, the cell is not): not pinned
  when it holds anyone;
- an unpublished sum of one or two members' figures (one member's figures, or
  another's for the other member: DATA-CONTRACT 8.5): not pinned;
- a revision's change of 1..t-1 persons in a cell (the persons a correction added or
  removed, counted like any small count): not pinned.
For an insider the same holds for what the rest of the network holds in a node (the
node minus its own part), where that rest is at least one person; a sum of two
members it is not one of is not its concern (it cannot split it).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from etl.disclosure.nodes import Model, bits_of

OUTSIDER = ""  # attacker name of the outsider; insiders are named by their organisation


@dataclass
class Knowledge:
    """The published state of every node of a model (one year, every version)."""

    model: Model
    values: np.ndarray
    visible: np.ndarray  # known exactly: shown in some version, or a row a published table leaves out (0)
    published: np.ndarray  # a cell of some version (shown or hidden)
    small: np.ndarray  # published as `<t` (and never shown)
    threshold: int
    own: dict[str, np.ndarray]  # per member: its own part of each node
    inside: dict[str, np.ndarray]  # per member: nodes whose group holds one of its epochs
    size: np.ndarray  # members in each node's group
    guarded: np.ndarray  # cells of folded cross rows: not published, never to be pinned
    rests: dict[str, np.ndarray] = field(default_factory=dict, repr=False)  # per member: `_rest_ids`, once

    def alone(self, attacker: str) -> np.ndarray:
        """Nodes of this member's epochs only (it knows them)."""
        return self.inside[attacker] & (self.size == 1)

    @classmethod
    def of(
        cls,
        model: Model,
        visible: np.ndarray,
        published: np.ndarray,
        small: np.ndarray,
        t: int,
        guarded: np.ndarray | None = None,
    ) -> Knowledge:
        values = np.asarray(model.values, dtype=float)
        delta = np.asarray(model.delta, dtype=bool)
        orgs = sorted({org for org, _ in model.epochs})
        column = {org: i for i, org in enumerate(orgs)}
        own = np.zeros((len(values), len(orgs)))
        inside = np.zeros((len(values), len(orgs)), dtype=bool)
        size = np.zeros(len(values), dtype=int)
        for node, (table, code, mask) in enumerate(zip(model.tables, model.codes, model.masks, strict=True)):
            members = {model.org_of(bit) for bit in bits_of(mask)}
            size[node] = len(members)
            inside[node, [column[org] for org in members]] = True
            if delta[node]:
                continue
            row = model.rows.get((*table[:2], *code))
            if row is None:
                continue
            for bit in bits_of(mask):
                part = model.matrix[row, bit]
                if not np.isnan(part):
                    own[node, column[model.org_of(bit)]] += part
        return cls(
            model,
            values,
            visible,
            published,
            small,
            t,
            {org: own[:, i] for org, i in column.items()},
            {org: inside[:, i] for org, i in column.items()},
            size,
            np.zeros(len(values), dtype=bool) if guarded is None else guarded & ~published,
        )

    @property
    def attackers(self) -> list[str]:
        return [OUTSIDER, *sorted(self.own)]

    def bounds(self, attacker: str, hidden: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """How far each node may move for this attacker (a visible node: not at all)."""
        values, t = self.values, self.threshold
        delta = np.asarray(self.model.delta, dtype=bool)
        small = self.small & hidden
        low = np.where(small, 1.0 - values, -values)
        high = np.where(small, t - 1.0 - values, np.inf)
        low[delta], high[delta] = -np.inf, np.inf
        if attacker != OUTSIDER:
            low = np.where(self.inside[attacker] & ~delta, np.maximum(low, self.own[attacker] - values), low)
            fixed = self.alone(attacker)
            low[fixed], high[fixed] = 0.0, 0.0
        known = self.visible | (self.published & ~hidden)
        low[known], high[known] = 0.0, 0.0
        return low, high

    def own_part(self, attacker: str) -> np.ndarray | None:
        """The member's own part of each node (None for the outsider): what `Auditor.slack_for` subtracts."""
        if attacker == OUTSIDER:
            return None
        return np.where(np.asarray(self.model.delta, dtype=bool), 0.0, self.own[attacker])

    def needs(self, attacker: str, hidden: np.ndarray) -> dict[int, float]:
        """Each node this attacker must not pin, with the range it must keep."""
        values, t = self.values, self.threshold
        delta = np.asarray(self.model.delta, dtype=bool)
        outsider = attacker == OUTSIDER
        rest = values if outsider else values - self.own[attacker]
        others = self.size if outsider else self.size - self.inside[attacker].astype(int)
        known = self.visible | (self.published & ~hidden)
        people = ~known & (rest >= 1 - 1e-9)
        # An `x` cell keeps its range whatever it holds, a hidden 0 too (8.7); for a member, what matters
        # is the rest of the network, and a rest of 0 (the member holds the whole cell) tells nobody's figure.
        cells = (people if not outsider else ~known) & self.published & ~delta
        folded = people & self.guarded & ~delta
        groups = people & ~self.published & ~delta & (others <= (2 if outsider else 1))
        changes = delta & ~known & (np.abs(values) >= 1 - 1e-9) & (np.abs(values) < t)
        if not outsider:
            changes &= ~self.inside[attacker]
        standing = np.asarray(self.model.canonical) == np.arange(len(values))  # a merged node speaks for the rest
        cells, groups, changes, folded = (part & standing for part in (cells, groups, changes, folded))
        if not outsider:  # what the member could already read off a published figure is no news to it
            rests = self._rest_ids(attacker)
            known_rest = rests[known & self.published & self.inside[attacker]]
            theirs = cells & self.inside[attacker]
            cells[theirs] = ~np.isin(rests[theirs], known_rest)
        out = {int(n): (1.0 if self.small[n] else float(t)) for n in np.flatnonzero(cells)}
        out.update({int(n): 1.0 for n in np.flatnonzero(groups | changes | folded)})
        return out

    def _mine(self, attacker: str) -> int:
        return sum(1 << bit for bit, (org, _) in enumerate(self.model.epochs) if org == attacker)

    def _rest_ids(self, attacker: str) -> np.ndarray:
        """Per node the member is in, a number for its `_rest` (equal numbers: the same rest); -1 elsewhere.

        The model does not change while a year is protected, so each member's numbers are made once."""
        if attacker not in self.rests:
            mine = self._mine(attacker)
            numbers: dict[tuple, int] = {}
            rests = np.full(len(self.values), -1, dtype=np.int64)
            for n in np.flatnonzero(self.inside[attacker]).tolist():
                rests[n] = numbers.setdefault(self._rest(mine, n), len(numbers))
            self.rests[attacker] = rests
        return self.rests[attacker]

    def _rest(self, mine: int, node: int) -> tuple:
        """A node's table, code and the epochs in it that are not the attacker's."""
        return (self.model.tables[node], self.model.codes[node], self.model.masks[node] & ~mine)
