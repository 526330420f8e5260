"""Secondary suppression: hide as few persons as possible so that no attacker learns a hidden figure.

The practical loop statistical offices use (docs/disclosure.md, PROTECTION-NOTES):

1. For every attacker (the outsider, then each member with its own figures) and
   every figure it must not learn, find perturbations that move the figure up and
   down by its needed range (`audit.Auditor.room`): the figure's *witnesses*. A
   perturbation moves many figures at once, so every witness found goes into a pool
   that later figures, and other attackers whose knowledge allows it, use first.
2. Where none is found, hide the cheapest set of visible cells that lets one exist
   (`audit.Auditor.repair`); the newly hidden cells are `x` cells, which must keep
   a range of the threshold themselves, so they join the work list.
3. Reveal pass: for each cell hidden in step 2, most persons first, show it again
   if every figure whose witness moved it finds another one without it.

Deterministic: the work list, the candidates and the reveal order are sorted, and
every linear programme is solved by HiGHS with a fixed seed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from etl.disclosure.attackers import Knowledge
from etl.disclosure.audit import TOLERANCE, Auditor, Witness
from etl.disclosure.nodes import describe
from etl.disclosure.pool import Key, Pool, Use

log = logging.getLogger(__name__)
REVEAL_HOPS = (2, 4, 8)  # a cell is shown again only when new witnesses are found nearby


@dataclass
class Outcome:
    hidden: np.ndarray  # every hidden node (primary, earlier versions', secondary)
    secondary: set[int]  # nodes this run hid to protect others
    unprotected: list[Key] = field(default_factory=list)  # (attacker, node) no hiding could protect


@dataclass
class _State:
    knowledge: Knowledge
    auditor: Auditor
    hidden: np.ndarray
    candidate: np.ndarray  # visible cells of this version that may still be hidden
    weight: np.ndarray
    keep: np.ndarray  # cells a member's needs may not hide: such a need withholds a table instead
    pool: Pool = field(default_factory=Pool)
    bounds: dict[str, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict)
    slacks: dict[str, np.ndarray] = field(default_factory=dict)
    fitters: dict[str, Callable[[Witness, float], bool]] = field(default_factory=dict)  # per attacker's slack

    def limits(self, attacker: str) -> tuple[np.ndarray, np.ndarray]:
        if attacker not in self.bounds:
            self.bounds[attacker] = self.knowledge.bounds(attacker, self.hidden)
        return self.bounds[attacker]

    def slack(self, attacker: str) -> np.ndarray:
        if attacker not in self.slacks:
            self.slacks[attacker] = self.auditor.slack_for(self.knowledge.own_part(attacker))
        return self.slacks[attacker]

    def set_hidden(self, nodes: list[int], value: bool) -> None:
        self.hidden[nodes] = value
        self.candidate[nodes] = False
        self.bounds.clear()


def protect(
    knowledge: Knowledge, hidden: np.ndarray, candidate: np.ndarray, weight: np.ndarray, keep: np.ndarray | None = None
) -> Outcome:
    """Hide secondary cells among `candidate` until every attacker's needs are met, then reveal what it can."""
    protection = Protection(knowledge, hidden, candidate, weight, keep)
    protection.run()
    return protection.finish()


class Protection:
    """Secondary suppression of one model, resumable after tables are taken out of publication.

    `keep`: cells (the network's headline figures) that only an outsider's need may hide; a
    member's need that could be met only by hiding one is left in `unprotected`.
    """

    def __init__(
        self,
        knowledge: Knowledge,
        hidden: np.ndarray,
        candidate: np.ndarray,
        weight: np.ndarray,
        keep: np.ndarray | None = None,
    ) -> None:
        auditor = Auditor(knowledge.model.relations, knowledge.values, knowledge.size)
        keep = np.zeros(len(weight), dtype=bool) if keep is None else keep
        self.state = _State(knowledge, auditor, hidden.copy(), candidate.copy(), weight, keep)
        self.secondary: set[int] = set()
        self.unprotected: list[Key] = []
        self.done: set[Key] = set()
        self.showing_again = False

    def show_again_instead(self, change: Callable[[], None] | None = None) -> list[Key]:
        """Apply `change`, then run again showing each `x` cell no hiding keeps wide; undone unless all is protected.

        The engine asks before it would withhold the network's yearly tables (`change` folds
        their small lines). If a need is still unprotected, protection is as it was before the
        call; the needs still unprotected are returned (none: the attempt is kept).
        """
        saved = self._checkpoint()
        if change is not None:
            change()
        self.showing_again = True
        self.done -= set(self.unprotected)
        try:
            left = self.run()
        finally:
            self.showing_again = False
        if left:
            self._restore(saved)
        return self.unprotected

    def fold(self, nodes: np.ndarray) -> None:
        """Cells taken out of publication that still hold persons nobody may pin (a folded cross line)."""
        self.withdraw(nodes)
        knowledge = self.state.knowledge
        knowledge.guarded[nodes] = knowledge.values[nodes] >= 1 - 1e-9

    def _checkpoint(self) -> tuple:
        state, knowledge = self.state, self.state.knowledge
        arrays = (state.hidden, state.candidate, knowledge.published, knowledge.small, knowledge.guarded)
        kept = (set(self.secondary), list(self.unprotected), set(self.done))
        return tuple(a.copy() for a in arrays), state.pool.copy(), kept

    def _restore(self, saved: tuple) -> None:
        state, knowledge = self.state, self.state.knowledge
        arrays, state.pool, (self.secondary, self.unprotected, self.done) = saved
        state.hidden, state.candidate, knowledge.published, knowledge.small, knowledge.guarded = arrays
        state.bounds.clear()

    def run(self) -> list[Key]:
        """Meet every need not yet met; returns the needs no allowed hiding could meet."""
        self.unprotected = []
        while True:
            work = _work(self.state, self.done)
            if not work:
                return self.unprotected
            for attacker, node, need in work:
                self.done.add((attacker, node))
                picks = _protect_one(self.state, attacker, node, need)
                if picks is None and self.showing_again and node in self.secondary and self._show_again(node):
                    break  # the hidden set changed: recompute the work list
                if picks is None:
                    self.unprotected.append((attacker, node))
                elif picks:
                    self.state.set_hidden(picks, True)
                    self.secondary.update(picks)
                    break  # the hidden set changed: recompute the work list

    def _show_again(self, node: int) -> bool:
        """Try showing a secondary cell no hiding keeps wide; True when every figure it protected still holds.

        Hiding it was a choice, not a rule: the figures whose witnesses moved it look for other
        cells to hide. If one of them finds none, the cell is hidden again (its dependants'
        witnesses are valid again) and stays a figure no hiding protects, left to the withholding
        of tables; cells hidden on the way are shown again by the reveal pass if not needed.
        """
        state = self.state
        state.set_hidden([node], False)  # also takes it out of the candidates for good
        dead, affected = state.pool.kill(node)
        keys = sorted(affected - {(attacker, node) for attacker in state.knowledge.attackers}, key=_outsider_first)
        needs: dict[str, dict[int, float]] = {}
        for attacker, other in keys:
            if attacker not in needs:
                needs[attacker] = state.knowledge.needs(attacker, state.hidden)
            need = needs[attacker].get(other)
            # never a headline cell for it: withholding the tables around this one costs less (8.8)
            picks = [] if need is None else _protect_one(state, attacker, other, need, spare_headlines=True)
            if picks is None:
                state.set_hidden([node], True)
                for index in dead:
                    state.pool.alive[index] = True
                self.done -= set(keys)  # certified again from the pool on the next pass
                return False
            if need is None:
                state.pool.release((attacker, other))
            if picks:
                state.set_hidden(picks, True)
                self.secondary.update(picks)
                needs.clear()
        self.secondary.discard(node)
        for attacker in state.knowledge.attackers:
            state.pool.release((attacker, node))
        self.unprotected = [key for key in self.unprotected if key[1] != node]
        log.debug("shown again, no hiding keeps its range: %s", describe(state.knowledge.model, node))
        return True

    def withdraw(self, nodes: np.ndarray) -> None:
        """Cells no longer published (their tables are not offered): nothing needs them any more.

        Every witness stays valid: a cell taken out of publication only frees the attacker's hand.
        """
        knowledge, state = self.state.knowledge, self.state
        knowledge.published[nodes] = False
        knowledge.small[nodes] = False
        state.hidden[nodes] = False
        state.candidate[nodes] = False
        state.bounds.clear()
        self.secondary -= set(nodes.tolist())
        self.done -= set(self.unprotected)

    def release_headlines(self) -> None:
        """Let members' needs hide headline cells too: the last resort once withholding has not sufficed."""
        self.state.keep = np.zeros(len(self.state.keep), dtype=bool)
        self.done -= set(self.unprotected)

    def finish(self) -> Outcome:
        revealed = _reveal(self.state, self.secondary)
        log.debug("secondary: %d hidden, %d shown again", len(self.secondary), len(revealed))
        return Outcome(self.state.hidden, self.secondary - revealed, self.unprotected)


def _work(state: _State, done: set[Key]) -> list[tuple[str, int, float]]:
    out = []
    for attacker in state.knowledge.attackers:
        needs = state.knowledge.needs(attacker, state.hidden)
        out += [(attacker, node, need) for node, need in sorted(needs.items()) if (attacker, node) not in done]
    return out


def _protect_one(
    state: _State, attacker: str, node: int, need: float, spare_headlines: bool = False
) -> list[int] | None:
    """Certify one need, repairing it when no witness exists: the nodes to hide ([] when none), None if impossible."""
    found = _certify(state, attacker, node, need)
    if found is not None:
        return []
    return _repair(state, attacker, node, need, spare_headlines)


def _fits(state: _State, attacker: str) -> Callable[[Witness, float], bool]:
    if attacker not in state.fitters:
        state.fitters[attacker] = state.auditor.fitter(state.slack(attacker))
    return state.fitters[attacker]


def _certify(state: _State, attacker: str, node: int, need: float, hops: tuple | None = None) -> bool | None:
    """Witnesses from the pool, or new ones; True when the need is met (and recorded), else None."""
    low, high = state.limits(attacker)
    slack = state.slack(attacker)
    (up, up_use), (down, down_use) = state.pool.best(node, low, high, _fits(state, attacker))
    if up < need - TOLERANCE and up + down < need - TOLERANCE:
        moved, witness = state.auditor.room(node, 1.0, need, low, high, hops, slack)
        if moved > up:
            up, up_use = moved, _use(state.pool.add(witness))
    if up + down < need - TOLERANCE:
        moved, witness = state.auditor.room(node, -1.0, need - up, low, high, hops, slack)
        if moved > down:
            down, down_use = moved, _use(state.pool.add(witness))
    if up + down < need - TOLERANCE:
        return None
    state.pool.certify((attacker, node), up_use, down_use)
    return True


def _use(index: int | None) -> Use | None:
    return None if index is None else (index, 1.0)


def _repair(state: _State, attacker: str, node: int, need: float, spare_headlines: bool = False) -> list[int] | None:
    low, high = state.limits(attacker)
    (up, up_use), (down, down_use) = state.pool.best(node, low, high, _fits(state, attacker))
    candidate = state.candidate & ~state.keep if attacker or spare_headlines else state.candidate
    hidden_low, hidden_high = state.knowledge.bounds(attacker, state.hidden | candidate)
    options = []
    for sign, missing, kept in ((1.0, need - down, down_use), (-1.0, need - up, up_use)):
        found = state.auditor.repair(
            node, sign, missing, hidden_low, hidden_high, candidate, state.weight, state.slack(attacker)
        )
        if found is not None:
            picks, witness = found
            options.append((float(state.weight[picks].sum()) if picks else 0.0, -sign, sorted(picks), witness, kept))
    if not options:  # expected: the engine then withholds tables around it and logs how many
        log.debug(
            "no cells to hide can protect %s from %s", describe(state.knowledge.model, node), attacker or "an outsider"
        )
        return None
    _, minus_sign, picks, witness, kept = min(options, key=lambda option: option[:2])
    made = _use(state.pool.add(witness))
    state.pool.certify((attacker, node), *((made, kept) if minus_sign < 0 else (kept, made)))
    if log.isEnabledFor(logging.DEBUG):
        model = state.knowledge.model
        log.debug(
            "for %s, %s: hide %s", attacker or "outsider", describe(model, node), [describe(model, p) for p in picks]
        )
    return picks


def _reveal(state: _State, secondary: set[int]) -> set[int]:
    """Show again each secondary cell, most persons first, whose dependants find witnesses without it."""
    revealed: set[int] = set()
    for node in sorted(secondary, key=lambda n: (-state.weight[n], n)):
        state.set_hidden([node], False)
        dead, affected = state.pool.kill(node)
        if _recertify(state, sorted(key for key in affected if key[1] != node)):
            for attacker in state.knowledge.attackers:
                state.pool.release((attacker, node))
            revealed.add(node)
            continue
        state.set_hidden([node], True)
        for index in dead:  # valid again now that the cell is hidden once more
            state.pool.alive[index] = True
    return revealed


def _outsider_first(key: Key) -> tuple:
    return (key[0] != "", key[1], key[0])


def _recertify(state: _State, keys: list[Key]) -> bool:
    """Find new witnesses for `keys`, the outsider's first; False as soon as one cannot be found."""
    needs = {attacker: state.knowledge.needs(attacker, state.hidden) for attacker in {a for a, _ in keys}}
    for attacker, node in sorted(keys, key=_outsider_first):
        need = needs[attacker].get(node)
        if need is None:
            state.pool.release((attacker, node))
        elif _certify(state, attacker, node, need, REVEAL_HOPS) is None:
            return False
    return True
