"""Reading a filled template back through its hidden `_codes` sheet, and filling one in (tests, pre-filling)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.utils.cell import coordinate_from_string

from etl.codebook import TOTAL, load_codebook
from etl.i18n import t
from etl.intake.problems import Problem, RejectedError
from etl.intake.template import CODES_SHEET, MAPPING_HEADER, STATUS_PREFIX, InputCell

if TYPE_CHECKING:
    from etl.intake.sniff import Table


@dataclass
class Mapping:
    meta: dict[str, str]
    cells: list[InputCell]


def _damaged(reason: str) -> RejectedError:
    return RejectedError([Problem("template_damaged", sheet=CODES_SHEET, value=reason)])


def _rows(sheet: Any) -> Iterator[tuple[int, tuple[Any, ...]]]:
    """(row number, values) of a sheet, in read-only and normal workbooks alike."""
    for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        yield number, tuple(values)


def read_mapping(workbook: Any) -> Mapping:
    if CODES_SHEET not in workbook.sheetnames:
        raise _damaged(CODES_SHEET)
    meta: dict[str, str] = {}
    cells: list[InputCell] = []
    in_mapping = False
    for _, values in _rows(workbook[CODES_SHEET]):
        texts = [("" if v is None else str(v)).strip() for v in values]
        if not any(texts):
            continue
        if not in_mapping and tuple(texts[: len(MAPPING_HEADER)]) == MAPPING_HEADER:
            in_mapping = True
        elif not in_mapping:
            meta[texts[0]] = texts[1] if len(texts) > 1 else ""
        elif len(texts) >= len(MAPPING_HEADER):
            cells.append(InputCell(*texts[: len(MAPPING_HEADER)]))
        else:
            raise _damaged("mapping")
    if not meta.get("organisation") or not meta.get("period") or not cells:
        raise _damaged("organisation/period")
    return Mapping(meta, cells)


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    return str(value).strip()


def _values(workbook: Any, wanted: Iterable[tuple[str, str]]) -> dict[tuple[str, str], str]:
    """The text of each wanted (sheet, cell), reading each sheet once."""
    by_sheet: dict[str, set[tuple[int, int]]] = {}
    for sheet, ref in wanted:
        letters, row = coordinate_from_string(ref)
        by_sheet.setdefault(sheet, set()).add((row, column_index_from_string(letters)))
    found: dict[tuple[str, str], str] = {}
    for sheet, places in by_sheet.items():
        if sheet not in workbook.sheetnames:
            raise _damaged(sheet)
        last_row = max(r for r, _ in places)
        for number, values in _rows(workbook[sheet]):
            if number > last_row:
                break
            for column, value in enumerate(values, start=1):
                if (number, column) in places:
                    found[(sheet, f"{get_column_letter(column)}{number}")] = _cell_text(value)
    return found


def _ref(qualified: str) -> tuple[str, str]:
    """("Sheet name", "D5") from "'Sheet name'!D5"."""
    sheet, _, cell = qualified.rpartition("!")
    return sheet.strip("'"), cell


def _status_cells(mapping: Mapping) -> dict[str, tuple[str, str]]:
    """measure -> (sheet, cell) of its status cell."""
    prefix = len(STATUS_PREFIX)
    return {key[prefix:]: _ref(ref) for key, ref in mapping.meta.items() if key.startswith(STATUS_PREFIX)}


@cache
def _not_collected_words() -> frozenset[str]:
    return frozenset(t("template.not_collected", lang).casefold() for lang in ("fi", "sv", "en"))


def read_template(workbook: Any) -> list[Table]:
    """The filled input cells as long-format tables, one per template sheet, with their places.

    A blank input is not sent. A measure whose status says "not collected" and whose
    total is blank is sent as its total row with an empty value. A status flag
    (P, E, R) goes on every cell of its measure.
    """
    from etl.intake.sniff import Table

    mapping = read_mapping(workbook)
    status_cells = _status_cells(mapping)
    values = _values(workbook, [(c.sheet, c.cell) for c in mapping.cells] + list(status_cells.values()))
    status = {measure: values.get(place, "") for measure, place in status_cells.items()}
    not_collected = {m for m, text in status.items() if text.casefold() in _not_collected_words()}
    dimensions = [d for d in load_codebook().dimensions if any(d in (c.dim1, c.dim2) for c in mapping.cells)]
    records: dict[str, list[dict[str, str]]] = {}
    for cell in mapping.cells:
        text = values.get((cell.sheet, cell.cell), "")
        is_total = cell.dim1 == TOTAL
        if text == "" and not (is_total and cell.measure in not_collected):
            continue  # blank: not sent
        letters, row = coordinate_from_string(cell.cell)
        flag = "" if cell.measure in not_collected else status.get(cell.measure, "")
        record = {
            "organisation": mapping.meta["organisation"],
            "period": mapping.meta["period"],
            "measure": cell.measure,
            **dict.fromkeys(dimensions, ""),
            "value": text,
            "flag": flag,
            "_row": str(row),
            "_column": letters,
        }
        for dimension, code in ((cell.dim1, cell.code1), (cell.dim2, cell.code2)):
            if dimension != TOTAL:
                record[dimension] = code
        records.setdefault(cell.sheet, []).append(record)
    columns = ["organisation", "period", "measure", *dimensions, "value", "flag", "_row", "_column"]
    return [
        Table(frame=pd.DataFrame(rows, columns=columns, dtype=object), sheet=sheet, first_row=2)
        for sheet, rows in records.items()
    ]


def fill_template(workbook: Workbook, cells: pd.DataFrame) -> int:
    """Type long-format cells (CANONICAL columns) into a template's input cells; returns how many.

    A flag goes into its measure's status cell; a total with an empty value marks the
    measure "not collected". For tests and for coordinators who pre-fill a member's figures.
    """
    mapping = read_mapping(workbook)
    lang = mapping.meta.get("lang", "fi")
    where = {(c.measure, c.dim1, c.code1, c.dim2, c.code2): (c.sheet, c.cell) for c in mapping.cells}
    status = _status_cells(mapping)
    flags = cells["flag"] if "flag" in cells.columns else pd.Series("", index=cells.index)
    typed = 0
    for row, flag in zip(cells.itertuples(index=False), flags, strict=True):
        key = (row.measure, row.dim1, row.code1, row.dim2, row.code2)
        if key not in where:
            raise KeyError(f"no template cell for {key}")
        sheet, ref = where[key]
        empty = pd.isna(row.value) or row.value == ""
        workbook[sheet][ref] = None if empty else int(row.value)
        if isinstance(flag, str) and flag:
            workbook[status[row.measure][0]][status[row.measure][1]] = flag
        elif empty and row.dim1 == TOTAL:
            workbook[status[row.measure][0]][status[row.measure][1]] = t("template.not_collected", lang)
        typed += 1
    return typed
