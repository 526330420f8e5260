"""Validate long-format tables against the data contract and turn them into canonical cells.

Every problem is collected in one pass; nothing is loaded while any error remains.
Checks work on whole columns (unique values are looked up once), so a file of a
million rows is validated in seconds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from etl.codebook import TOTAL, Codebook, load_codebook
from etl.periods import Period, parse_period
from etl.problems import Problem
from etl.readers import Table

REQUIRED = ("organisation", "period", "measure", "value")
OPTIONAL = ("flag",)
CANONICAL = ["org_code", "period", "measure", "dim1", "code1", "dim2", "code2", "value", "flag"]
FLAGS = {"P", "E", "R"}
MAX_PROBLEMS = 1000
_SPACES = re.compile(r"[ \u00a0\u202f\u2009]")
_WHOLE = re.compile(r"^\d+$")


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


@dataclass
class Result:
    cells: pd.DataFrame  # CANONICAL columns plus sheet and row
    problems: list[Problem]


def _rows(table: Table, mask: pd.Series) -> list[int]:
    return [table.first_row + int(i) for i in mask[mask].index]


def _problem_rows(
    table: Table, mask: pd.Series, code: str, column: str, values: pd.Series, **params: object
) -> list[Problem]:
    index = mask[mask].index[:MAX_PROBLEMS]
    return [
        Problem(
            code,
            sheet=table.sheet,
            row=table.first_row + int(i),
            column=column,
            value=str(values.loc[i]),
            params=dict(params),
        )
        for i in index
    ]


def _headers(table: Table, book: Codebook) -> tuple[dict[str, str], list[Problem]]:
    """Map each header to its canonical column name; report missing and unknown ones."""
    known = set(REQUIRED) | set(OPTIONAL) | set(book.dimensions)
    mapping: dict[str, str] = {}
    problems = []
    for header in table.frame.columns:
        name = str(header).strip().lower()
        if name in known and name not in mapping.values():
            mapping[str(header)] = name
        elif name in mapping.values():
            problems.append(Problem("duplicate_column", sheet=table.sheet, row=1, column=str(header)))
        else:
            problems.append(Problem("unknown_column", sheet=table.sheet, row=1, column=str(header)))
    for name in REQUIRED:
        if name not in mapping.values():
            problems.append(Problem("missing_column", sheet=table.sheet, row=1, column=name))
    return mapping, problems


def _lookup(series: pd.Series, lookup: dict[str, str | None]) -> pd.Series:
    return series.map(lookup)


def _periods(series: pd.Series, today: date) -> tuple[pd.Series, pd.Series, dict[str, Period | None]]:
    """Canonical period codes (None when unreadable), a mask of unfinished periods, and the parse."""
    parsed = {text: parse_period(text) for text in series.unique()}
    codes = {text: period.code if period else None for text, period in parsed.items()}
    unfinished = {text: period is not None and not period.has_ended(today) for text, period in parsed.items()}
    return series.map(codes), series.map(unfinished).astype(bool), parsed


def validate_table(table: Table, context: Context, book: Codebook | None = None) -> Result:
    book = book or load_codebook()
    mapping, problems = _headers(table, book)
    if any(p.code == "missing_column" for p in problems):
        return Result(pd.DataFrame(columns=[*CANONICAL, "sheet", "row"]), problems)
    frame = table.frame.rename(columns=mapping)[list(mapping.values())]
    frame = frame.apply(lambda column: column.str.strip())
    out = pd.DataFrame(index=frame.index)

    org = frame["organisation"].str.lower()
    known_org = org.isin(list(context.organisations))
    problems += _problem_rows(table, ~known_org, "unknown_organisation", "organisation", frame["organisation"])
    out["org_code"] = org

    period_code, future, parsed = _periods(frame["period"], context.today)
    problems += _problem_rows(table, period_code.isna(), "bad_period", "period", frame["period"])
    problems += _problem_rows(table, future, "future_period", "period", frame["period"])
    out["period"] = period_code

    def inactive(row: pd.Series) -> bool:
        info = context.organisations.get(row["org"])
        period = parsed.get(row["period"])
        return bool(info and period and not info.active_during(period))

    pairs = pd.DataFrame({"org": org, "period": frame["period"]}).drop_duplicates()
    inactive_pairs = pairs[pairs.apply(inactive, axis=1)] if len(pairs) else pairs
    if len(inactive_pairs):
        bad = org.isin(inactive_pairs["org"]) & frame["period"].isin(inactive_pairs["period"])
        problems += _problem_rows(table, bad, "inactive_organisation", "organisation", frame["organisation"])

    measure_lookup = {
        text: code
        for code, measure in book.measures.items()
        for text in (code, measure.label.fi, measure.label.sv, measure.label.en)
    }
    folded = {" ".join(k.split()).casefold(): v for k, v in measure_lookup.items()}
    measure = frame["measure"].map(lambda text: folded.get(" ".join(text.split()).casefold()))
    problems += _problem_rows(table, measure.isna(), "unknown_measure", "measure", frame["measure"])
    out["measure"] = measure

    problems += _dimensions(table, frame, out, book)
    problems += _values(table, frame, out)
    problems += _breakdowns(table, out, book)
    problems += _duplicates(table, out)
    out["sheet"] = table.sheet
    out["row"] = out.index.map(lambda i: table.first_row + int(i))
    return Result(out, problems)


def _dimensions(table: Table, frame: pd.DataFrame, out: pd.DataFrame, book: Codebook) -> list[Problem]:
    problems: list[Problem] = []
    used = [d for d in book.dimensions if d in frame.columns]
    codes = pd.DataFrame(index=frame.index)
    for dimension in used:
        text = frame[dimension]
        empty = text.isin(["", TOTAL])
        unique = {value: book.lookup(dimension, value) for value in text[~empty].unique()}
        mapped = text.map(lambda value, u=unique: None if value in ("", TOTAL) else u.get(value))
        problems += _problem_rows(table, ~empty & mapped.isna(), "unknown_code", dimension, text, dimension=dimension)
        codes[dimension] = mapped.where(~empty, None)
    filled = codes.notna()
    count = filled.sum(axis=1) if used else pd.Series(0, index=frame.index)
    too_many = count > 2
    for i in too_many[too_many].index[:MAX_PROBLEMS]:
        named = ", ".join(d for d in used if filled.loc[i, d])
        problems.append(Problem("too_many_dimensions", sheet=table.sheet, row=table.first_row + int(i), value=named))
    # The first and second filled dimension, in codebook order, name the breakdown.
    n = len(frame)
    names = np.array([*used, TOTAL], dtype=object)
    values = np.column_stack([codes.to_numpy(dtype=object), np.full(n, TOTAL, dtype=object)])
    marks = np.column_stack([filled.to_numpy(dtype=bool), np.ones(n, dtype=bool)])
    first = np.argmax(marks, axis=1)
    second_marks = marks & (np.cumsum(marks, axis=1) == 2)
    second_marks[:, -1] |= ~second_marks[:, :-1].any(axis=1)
    second = np.argmax(second_marks, axis=1)
    rows = np.arange(n)
    out["dim1"], out["code1"] = names[first], values[rows, first]
    out["dim2"], out["code2"] = names[second], values[rows, second]
    return problems


def _values(table: Table, frame: pd.DataFrame, out: pd.DataFrame) -> list[Problem]:
    text = frame["value"].str.replace(_SPACES, "", regex=True)
    empty = text == ""
    whole = text.str.match(_WHOLE)
    problems: list[Problem] = []
    bad = ~empty & ~whole
    for i in bad[bad].index[:MAX_PROBLEMS]:
        seen = frame["value"].loc[i]
        problems.append(
            Problem(
                _value_problem(text.loc[i]),
                sheet=table.sheet,
                row=table.first_row + int(i),
                column="value",
                value=seen,
            )
        )
    out["value"] = pd.to_numeric(text.where(whole, None), errors="coerce").astype("Int64")
    flag = frame["flag"].str.upper() if "flag" in frame.columns else pd.Series("", index=frame.index)
    bad_flag = ~flag.isin(["", *FLAGS])
    problems += _problem_rows(table, bad_flag, "bad_flag", "flag", flag)
    out["flag"] = flag.where(flag != "", None)
    return problems


def _value_problem(text: str) -> str:
    if text.startswith("<") or text.startswith(">"):
        return "suppressed_value"
    if re.match(r"^-\d", text):
        return "negative_value"
    if re.match(r"^\d+[.,]\d+$", text):
        return "decimal_value"
    if re.match(r"^\d+\s*[-–]\s*\d+$", text):
        return "range_value"
    return "not_a_number"


def _breakdowns(table: Table, out: pd.DataFrame, book: Codebook) -> list[Problem]:
    allowed = {(m, d1, d2) for m, pairs in book.breakdowns.items() for d1, d2 in pairs}
    key = list(zip(out["measure"], out["dim1"], out["dim2"], strict=True))
    bad = pd.Series([k[0] is not None and k not in allowed for k in key], index=out.index)
    problems = []
    for i in bad[bad].index[:MAX_PROBLEMS]:
        m, d1, d2 = key[int(i)] if isinstance(i, int) else key[out.index.get_loc(i)]
        combination = " × ".join(d for d in (d1, d2) if d != TOTAL) or TOTAL
        problems.append(
            Problem(
                "breakdown_not_allowed",
                sheet=table.sheet,
                row=table.first_row + int(i),
                value=combination,
                params={"measure": m},
            )
        )
    return problems


def _duplicates(table: Table, out: pd.DataFrame) -> list[Problem]:
    keys = ["org_code", "period", "measure", "dim1", "code1", "dim2", "code2"]
    complete = out[keys].notna().all(axis=1)
    dup = out[keys].duplicated(keep="first") & complete
    first_rows = out[keys][complete].reset_index().groupby(keys, dropna=False)["index"].first()
    problems = []
    for i in dup[dup].index[:MAX_PROBLEMS]:
        first = first_rows.loc[tuple(out.loc[i, keys])]
        problems.append(
            Problem(
                "duplicate_cell",
                sheet=table.sheet,
                row=table.first_row + int(i),
                params={"first_row": table.first_row + int(first)},
            )
        )
    return problems
