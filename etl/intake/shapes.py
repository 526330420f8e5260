"""What validation and its rules share: the context of a check, the problems found so far,
and the file's rows and canonical cells keyed for the sum rules and the warnings.

`etl.intake.validate` builds them (with `etl.intake.cell_rules`); `etl.intake.consistency`
(sum rules) and `etl.intake.plausibility` (warnings) read them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd

from etl.intake.problems import Problem
from etl.periods import Period

MAX_PER_CODE = 200  # problems listed per kind; the rest are counted in one "more_problems" line

History = Callable[[Sequence[tuple[str, str]]], pd.DataFrame]


@dataclass(frozen=True)
class OrgInfo:
    code: str
    active_from: date
    active_to: date | None

    def active_during(self, period: Period) -> bool:
        return self.active_from <= period.end and (self.active_to is None or self.active_to >= period.start)


@dataclass
class Context:
    organisations: dict[str, OrgInfo]
    today: date
    # The member's figures already in the warehouse for the given (organisation, period)
    # pairs (KEY columns plus value), for the warnings; None when there is no warehouse.
    history: History | None = None
    # The tables (organisation, period, measure, dim1, dim2) of those versions, for the tables a file leaves out.
    tables: History | None = None


@dataclass
class Result:
    cells: pd.DataFrame  # CANONICAL columns plus sheet and row
    problems: list[Problem]


@dataclass
class Collector:
    """Problems in the order found, at most MAX_PER_CODE of each kind."""

    problems: list[Problem] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    severity: dict[str, str] = field(default_factory=dict)

    def add(self, problem: Problem) -> None:
        seen = self.counts.get(problem.code, 0)
        self.counts[problem.code] = seen + 1
        self.severity[problem.code] = problem.severity
        if seen < MAX_PER_CODE:
            self.problems.append(problem)

    def finish(self, sheet_order: dict[str | None, int]) -> list[Problem]:
        def place(p: Problem) -> tuple[int, int, str]:
            return (sheet_order.get(p.sheet, -1), p.row or 0, p.column or "")

        listed = sorted(self.problems, key=place)
        for code, count in self.counts.items():
            if count > MAX_PER_CODE:
                listed.append(
                    Problem(
                        "more_problems",
                        severity=self.severity[code],
                        params={"count": count - MAX_PER_CODE, "code": code},
                    )
                )
        return listed


@dataclass
class Rows:
    """The file's rows, all tables together: raw text by canonical column, and each row's place."""

    text: dict[str, pd.Series]
    sheet: np.ndarray  # object: sheet name or None
    row: np.ndarray  # int64: 1-based row in the file or sheet
    cell_column: np.ndarray  # object: where the value sits ("value", or a template column letter)

    def __len__(self) -> int:
        return len(self.row)


@dataclass(frozen=True)
class Coded:
    """A column as integer ids into `names` (-1 where the text is not usable)."""

    ids: np.ndarray
    names: list[str]

    def values(self) -> pd.Categorical:
        return pd.Categorical.from_codes(self.ids, categories=pd.Index(self.names, dtype=object), validate=False)

    def text(self, i: int) -> str | None:
        return self.names[self.ids[i]] if self.ids[i] >= 0 else None


@dataclass
class Cells:
    """Canonical cells with integer keys for the sum rules, and which rows have an error."""

    frame: pd.DataFrame  # CANONICAL columns
    rows: Rows
    bad: np.ndarray  # bool per row: a cell-level error
    group: np.ndarray  # int64 per row: (organisation, period, measure); -1 when one is not known
    group_keys: list[tuple[str, str, str]]  # (organisation, period, measure) of each group number
    pair1: np.ndarray  # int64 per row: (dim1, code1) as a codebook pair id
    pair2: np.ndarray
    value: np.ndarray  # float64 per row; NaN when empty or unreadable
    book_pairs: Pairs


@dataclass(frozen=True)
class Pairs:
    """Every (dimension, code) of the codebook numbered; 0 is (_T, _T)."""

    ids: dict[tuple[str, str], int]
    dims: np.ndarray
    codes: np.ndarray

    @property
    def size(self) -> int:
        return len(self.dims)
