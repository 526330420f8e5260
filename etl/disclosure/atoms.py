"""Member groups split into the atoms that every linked table agrees on.

Two published groups of one table (the network and a like-for-like group, or one
version and the next) differ by the epochs one holds and the other does not; those
differences are unknowns of their own, the *atoms*. A relation between two tables
(a breakdown and its total, a year and its halves) holds for each group of epochs
that report both, so groups are pushed along each link until the linked tables split
their epochs the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

ROUNDS = 8  # pushing groups converges in two or three rounds on real tables
# Groups alone carry the relations; pushing atoms too changed nothing the attack finds (measured on the demo).
PUSH_ATOMS = False


@dataclass(frozen=True)
class Edge:
    """Groups of `source` that lie within `allowed` are groups of `target` too."""

    source: tuple
    target: tuple
    kind: str  # margin | halves | part (relations follow), or the same with "-back" (refinement only)
    allowed: int


def refine(
    families: dict[tuple, set[int]], edges: list[Edge], same: Callable[[tuple, int], int] = lambda _, group: group
) -> dict[tuple, list[int]]:
    """Push groups along the edges (in place) and return each table's atoms.

    `same(table, group)` writes a group as the table's nodes do (a member's unchanged resend is
    its earlier epoch there).

    Groups, not atoms, travel: a relation between two tables is written for each group both
    hold. An atom of one table that no group of another splits off carries no information
    there (its cells would be free unknowns tied only by sums the groups already give).
    """
    for _ in range(ROUNDS):
        grew = False
        atoms = {table: venn(family) for table, family in families.items()} if PUSH_ATOMS else {}
        for edge in edges:
            target = families.get(edge.target)
            if target is None:
                continue
            for group in sorted(families[edge.source] | set(atoms.get(edge.source, ()))):
                there = same(edge.target, group)
                if group & ~edge.allowed == 0 and there not in target:
                    target.add(there)
                    grew = True
        if not grew:
            break
    return {table: venn(family) for table, family in families.items()}


def venn(family: set[int]) -> list[int]:
    """The atoms of a family of groups: the epochs that belong to exactly the same groups."""
    union = 0
    for mask in family:
        union |= mask
    ordered = sorted(family)
    atoms: dict[tuple[bool, ...], int] = {}
    bit = 0
    while union >> bit:
        if union >> bit & 1:
            signature = tuple(bool(mask >> bit & 1) for mask in ordered)
            atoms[signature] = atoms.get(signature, 0) | 1 << bit
        bit += 1
    return sorted(atoms.values())
