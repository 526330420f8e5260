"""Disclosure control: the one gate every member and public output passes (DATA-CONTRACT 8).

- rules: the threshold, flags and what a person sees for a cell;
- tables, system, exposure, lp, engine: protecting every published table together;
- subsets: the like-for-like member groups;
- snapshot: the protected tables stored in each published snapshot;
- explain: the "How figures are protected" text, legends and flag descriptions.

See docs/disclosure.md for the design and what the attack test proves.
"""

from etl.disclosure.explain import explain_protection, flag_descriptions, legend
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
    "flag_descriptions",
    "is_hidden",
    "is_small",
    "legend",
    "protect_counts",
    "protect_snapshot",
    "write_protected",
]
