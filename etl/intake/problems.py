"""Problems found in a member's file: where, what was seen, and what to do, in fi, sv and en."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from etl.codebook import Codebook, load_codebook
from etl.errors import TilannekuvaError
from etl.i18n import t

ERROR = "error"
_DIMENSION = re.compile(r"[a-z_]+")  # a dimension code in a message's "dimension" parameter
WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    code: str  # stable problem code; the message key is "problem.<code>"
    severity: str = ERROR
    sheet: str | None = None
    row: int | None = None  # 1-based row number in the file or sheet, header = 1
    column: str | None = None
    value: str | None = None  # what was seen (never personal data: screening masks it)
    params: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)

    def message(self, lang: str) -> str:
        return t(
            f"problem.{self.code}",
            lang,
            column=self.column or "",
            value=self.value or "",
            **readable(self.params, lang),
        )

    def location(self, lang: str) -> str:
        parts = []
        if self.sheet:
            parts.append(t("problem.where_sheet", lang, sheet=self.sheet))
        if self.row is not None:
            parts.append(t("problem.where_row", lang, row=self.row))
        if self.column:
            parts.append(t("problem.where_column", lang, column=self.column))
        return ", ".join(parts) or t("problem.where_file", lang)

    def as_dict(self, lang: str) -> dict[str, Any]:
        return {
            "code": self.code,
            "severity": self.severity,
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "value": self.value,
            "message": self.message(lang),
        }


def errors(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == ERROR]


class RejectedError(TilannekuvaError):
    """A file was refused; nothing of it was loaded."""

    def __init__(self, problems: list[Problem], file_name: str = "") -> None:
        self.problems = problems
        super().__init__("load.rejected", file=file_name, count=len(errors(problems)))


def rejected(code: str, **fields: Any) -> RejectedError:
    return RejectedError([Problem(code, **fields)])


def readable(params: dict[str, Any], lang: str) -> dict[str, Any]:
    """Measures and dimensions named for a person: "New clients (PERS_NEW)", the code as the file has it."""
    book = load_codebook()
    out = dict(params)
    for key in ("measure", "whole"):
        code = out.get(key)
        if isinstance(code, str) and code in book.measures:
            out[key] = f"{book.measures[code].label.get(lang)} ({code})"
    if isinstance(out.get("dimension"), str):
        out["dimension"] = _DIMENSION.sub(lambda m: _dimension_name(book, m.group(0), lang), out["dimension"])
    return out


def _dimension_name(book: Codebook, code: str, lang: str) -> str:
    return f"{book.dimensions[code].label.get(lang)} ({code})" if code in book.dimensions else code


@dataclass(frozen=True)
class ProblemGroup:
    """One problem as a person reads it: the same message in the same sheet and column, with every row
    it was found on (a file with one mistake copied down 29 rows shows one line, not 29)."""

    severity: str
    sheet: str | None
    column: str | None
    message: str
    rows: tuple[int, ...]
    values: tuple[str, ...]  # the distinct values seen, in file order

    def location(self, lang: str) -> str:
        if len(self.rows) < 2:
            only = self.rows[0] if self.rows else None
            return Problem("", sheet=self.sheet, row=only, column=self.column).location(lang)
        parts = [t("problem.where_sheet", lang, sheet=self.sheet)] if self.sheet else []
        parts.append(t("problem.where_rows", lang, rows=row_ranges(self.rows), count=str(len(self.rows))))
        if self.column:
            parts.append(t("problem.where_column", lang, column=self.column))
        return ", ".join(parts)

    def value(self, limit: int = 3) -> str:
        shown = ", ".join(self.values[:limit])
        return shown + (f", … (+{len(self.values) - limit})" if len(self.values) > limit else "")


def grouped(problems: list[Problem], lang: str) -> list[ProblemGroup]:
    """The problems with the same message, sheet and column as one group each, in the order first found."""
    groups: dict[tuple[str, str | None, str | None, str], tuple[list[int], list[str]]] = {}
    for problem in problems:
        key = (problem.severity, problem.sheet, problem.column, problem.message(lang))
        rows, values = groups.setdefault(key, ([], []))
        if problem.row is not None and problem.row not in rows:
            rows.append(problem.row)
        if problem.value and problem.value not in values:
            values.append(problem.value)
    return [
        ProblemGroup(severity, sheet, column, message, tuple(sorted(rows)), tuple(values))
        for (severity, sheet, column, message), (rows, values) in groups.items()
    ]


def row_ranges(rows: tuple[int, ...]) -> str:
    """Rows as a person lists them: 3, 5–9, 12."""
    spans: list[list[int]] = []
    for row in sorted(set(rows)):
        if spans and row == spans[-1][1] + 1:
            spans[-1][1] = row
        else:
            spans.append([row, row])
    return ", ".join(str(a) if a == b else f"{a}–{b}" for a, b in spans)
