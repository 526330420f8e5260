"""Trends in shares: the groups drawn and "Other and hidden" make each period's stack the whole (issue 17, point 3)."""

from __future__ import annotations

from collections import defaultdict

from etl.i18n import t
from tests.helpers import chart_figures, open_page

PARAMS = {"m": "PERS_NEW", "b": "exploitation_form", "u": "pct", "g": "bars"}


def test_a_stack_of_shares_is_the_whole_where_the_total_is_visible(demo_env):
    at = open_page("trends.py", "en", PARAMS)
    assert not at.exception
    (figure,) = chart_figures(at)
    bars = [trace for trace in figure["data"] if trace["type"] == "bar"]
    names = [trace["name"] for trace in bars]
    assert t("trends.other_groups", "en") in names
    stacks: dict[object, list[float]] = defaultdict(list)
    for trace in bars:
        for x, y in zip(trace["x"], trace["y"], strict=True):
            if y is not None:
                stacks[x].append(y)
    other = next(trace for trace in bars if trace["name"] == t("trends.other_groups", "en"))
    with_rest = [x for x, y in zip(other["x"], other["y"], strict=True) if y is not None]
    assert len(with_rest) >= 5
    for x in with_rest:  # each share is rounded on its own: off by at most half a point each
        assert abs(sum(stacks[x]) - 100) <= len(stacks[x]) / 2, (x, stacks[x])
    notes = " ".join(c.value for c in at.caption) + " ".join(m.value for m in at.markdown)
    assert t("notes.shares_rounded", "en") in notes  # why a stack may read 99 or 101 %


def test_counts_need_no_word_on_rounding(demo_env):
    at = open_page("trends.py", "en", {**PARAMS, "u": "n"})
    assert not at.exception
    notes = " ".join(c.value for c in at.caption) + " ".join(m.value for m in at.markdown)
    assert t("notes.other_and_hidden", "en") in notes
    assert t("notes.shares_rounded", "en") not in notes
