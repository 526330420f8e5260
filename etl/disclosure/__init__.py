"""Disclosure control: the one gate every member and public output passes (DATA-CONTRACT 8).

- rules: the threshold, flags and what a person sees for a cell;
- tables: members' cells to the network's published cells;
- primary: the rules that hide a cell or withhold a table on their own;
- model, atoms: a year's tables in every retained version as one system of relations;
- attackers, audit, secondary: who must not learn what, and the cheapest cells to hide;
- engine: all of it for one publication; snapshot: stored in each snapshot;
- subsets: the like-for-like member groups; loss: what protection costs;
- explain: the "How figures are protected" text, legends and flag descriptions.

See docs/disclosure.md for the design and what the attack test proves.
"""

from etl.disclosure.explain import (
    explain_protection,
    explain_protection_text,
    flag_descriptions,
    legend,
    symbol,
    symbol_lines,
)
from etl.disclosure.rules import (
    FLAG_BREAK,
    FLAG_ESTIMATED,
    FLAG_PROVISIONAL,
    FLAG_SECONDARY,
    FLAG_SMALL,
    SECONDARY_TEXT,
    display_text,
    is_hidden,
    is_small,
    protect_counts,
)
from etl.disclosure.snapshot import protect_snapshot, write_protected

__all__ = [
    "FLAG_BREAK",
    "FLAG_ESTIMATED",
    "FLAG_PROVISIONAL",
    "FLAG_SECONDARY",
    "FLAG_SMALL",
    "SECONDARY_TEXT",
    "display_text",
    "explain_protection",
    "explain_protection_text",
    "flag_descriptions",
    "is_hidden",
    "is_small",
    "legend",
    "protect_counts",
    "protect_snapshot",
    "symbol",
    "symbol_lines",
    "write_protected",
]
