"""The audit log as sentences: who did what, to what, and how it ended, in the reader's language.

Each row's action, outcome and detail (the sealed log's JSON) become one sentence from
`workspace.audit.say.*`: `<action>_<outcome>` when there is one (its `_one` form for one error),
else `<action>`; a refusal of any action reads `denied`; an action without a sentence reads
`other`. Fields a row lacks show as a dash, never as a placeholder.
"""

from __future__ import annotations

import json
from typing import Any

from etl.i18n import catalogue, format_int

SAY = "workspace.audit.say."


class _Fields(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "–"


def detail_of(raw: object) -> dict[str, Any]:
    """A row's detail as a dict, whether the log gives JSON text or a dict."""
    if isinstance(raw, dict):
        return raw
    try:
        value = json.loads(str(raw))
    except (TypeError, ValueError):
        return {}
    return value if isinstance(value, dict) else {}


def sentence(actor: str, action: str, outcome: str, detail: dict[str, Any], lang: str) -> str:
    """One row of the log in words."""
    known = catalogue(lang)
    fields = _Fields(
        {k: _shown(v, lang) for k, v in detail.items() if v is not None and not isinstance(v, dict | list)}
    )
    fields |= {"actor": actor, "action": action, "outcome": outcome}
    if action == "restore" and "source" in detail:
        action = "restore_backup"  # a backup restored, not a submission
    candidates = ["denied"] if outcome == "denied" else [f"{action}_{outcome}", action, "other"]
    if detail.get("errors") == 1:  # "(1 error)", not "(1 errors)": the sentence's `_one` form first
        candidates.insert(0, f"{candidates[0]}_one")
    key = next(SAY + name for name in candidates if SAY + name in known)
    return known[key].format_map(fields)


def _shown(value: object, lang: str) -> object:
    return format_int(value, lang) if isinstance(value, int) and not isinstance(value, bool) else value
