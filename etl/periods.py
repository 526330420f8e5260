"""Reporting periods: half-years (2024H1, 2024H2) and calendar years (2024)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

FIRST_YEAR = 2000
LAST_YEAR = 2099

_PATTERNS = (
    re.compile(r"^(?P<year>\d{4})$"),
    re.compile(r"^(?P<year>\d{4})\s*[-/ ]?\s*H(?P<half>[12])$"),
    re.compile(r"^H(?P<half>[12])\s*[-/ ]?\s*(?P<year>\d{4})$"),
)


@dataclass(frozen=True, order=True)
class Period:
    year: int
    half: int  # 0 for the calendar year, 1 or 2 for a half-year

    @property
    def code(self) -> str:
        return f"{self.year}H{self.half}" if self.half else str(self.year)

    @property
    def kind(self) -> str:
        return f"H{self.half}" if self.half else "Y"

    @property
    def start(self) -> date:
        return date(self.year, 7 if self.half == 2 else 1, 1)

    @property
    def end(self) -> date:
        return date(self.year, 6, 30) if self.half == 1 else date(self.year, 12, 31)

    @property
    def year_period(self) -> Period:
        return Period(self.year, 0)

    def halves(self) -> tuple[Period, Period]:
        return Period(self.year, 1), Period(self.year, 2)

    def has_ended(self, today: date) -> bool:
        return self.end < today

    def __str__(self) -> str:
        return self.code


def parse_period(text: object) -> Period | None:
    """The period a member wrote, in any accepted spelling, or None.

    Accepts 2024, 2024H1, 2024-H1, 2024 H1, H1/2024 (case and spaces ignored).
    """
    if not isinstance(text, str | int):
        return None
    cleaned = str(text).strip().upper()
    for pattern in _PATTERNS:
        match = pattern.match(cleaned)
        if match:
            year = int(match.group("year"))
            half = int(match.groupdict().get("half") or 0)
            if FIRST_YEAR <= year <= LAST_YEAR:
                return Period(year, half)
    return None


def all_periods() -> list[Period]:
    """Every period the warehouse knows, oldest first."""
    return [Period(year, half) for year in range(FIRST_YEAR, LAST_YEAR + 1) for half in (1, 2, 0)]
