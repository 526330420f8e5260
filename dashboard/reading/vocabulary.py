"""Labels and order of measures, dimensions and codes, as the viewed snapshot has them.

`Vocabulary` is built from the snapshot's codebook tables (labels only, no
figures) and answers "what is this code called in this language" and "in which
order do codes go". `vocabulary(ref)` reads them through the shared cache.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd
import streamlit as st

from dashboard.reading import data
from etl.codebook import TOTAL, load_codebook
from etl.publish.snapshots import SnapshotRef

Breakdown = tuple[str, str]


@dataclass
class Vocabulary:
    codes: pd.DataFrame  # dimension, code, label_fi, label_sv, label_en, parent, sort
    measures: pd.DataFrame  # code, label_*, nature, unit, multi_response, sort
    dimensions: pd.DataFrame  # code, label_*, sort
    breakdown_rows: pd.DataFrame  # measure, dim1, dim2
    _code_index: dict[tuple[str, str], Any] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self._code_index = {(row.dimension, row.code): row for row in self.codes.itertuples(index=False)}
        self._measure_index = {row.code: row for row in self.measures.itertuples(index=False)}
        self._dimension_index = {row.code: row for row in self.dimensions.itertuples(index=False)}

    def code_label(self, dimension: str, code: str, lang: str) -> str:
        """A code's label; a code the codebook does not know (e.g. a folded group) is shown as itself."""
        row = self._code_index.get((dimension, code))
        return str(getattr(row, f"label_{lang}")) if row is not None else code

    def code_labels(self, dimension: str, lang: str) -> dict[str, str]:
        rows = self.codes[self.codes["dimension"] == dimension]
        return dict(zip(rows["code"], rows[f"label_{lang}"], strict=True))

    def code_order(self, dimension: str) -> list[str]:
        """Every code of a dimension in codebook order (the basis of its colours)."""
        return self.codes.loc[self.codes["dimension"] == dimension, "code"].tolist()

    def parent(self, dimension: str, code: str) -> str:
        row = self._code_index.get((dimension, code))
        return str(row.parent) if row is not None and isinstance(row.parent, str) else ""

    def measure_label(self, measure: str, lang: str) -> str:
        row = self._measure_index.get(measure)
        return str(getattr(row, f"label_{lang}")) if row is not None else measure

    def measure_codes(self) -> list[str]:
        return self.measures["code"].tolist()

    def is_multi_response(self, measure: str) -> bool:
        row = self._measure_index.get(measure)
        return bool(row is not None and row.multi_response)

    def unit(self, measure: str) -> str:
        row = self._measure_index.get(measure)
        return str(row.unit) if row is not None else "persons"

    def dimension_label(self, dimension: str, lang: str) -> str:
        row = self._dimension_index.get(dimension)
        return str(getattr(row, f"label_{lang}")) if row is not None else dimension

    def dimension_codes(self) -> list[str]:
        return self.dimensions["code"].tolist()

    def breakdowns(self, measure: str) -> list[Breakdown]:
        rows = self.breakdown_rows[self.breakdown_rows["measure"] == measure]
        return list(zip(rows["dim1"], rows["dim2"], strict=True))

    def has_total(self, measure: str) -> bool:
        return (TOTAL, TOTAL) in self.breakdowns(measure)


@st.cache_resource(max_entries=16, show_spinner=False)
def vocabulary(ref: SnapshotRef) -> Vocabulary:
    """The labels of one published version, built once per process (read-only: do not change it)."""
    return Vocabulary(
        codes=data.public_query(ref, "codes"),
        measures=data.public_query(ref, "measures"),
        dimensions=data.public_query(ref, "dimensions"),
        breakdown_rows=data.public_query(ref, "breakdowns"),
    )


def measure_definition(measure: str, lang: str) -> str:
    """A measure's definition from the codebook in code (the snapshot keeps labels, not definitions)."""
    found = load_codebook().measures.get(measure)
    return found.definition.get(lang) if found else ""


BREAKDOWN_SEPARATOR = "."


def breakdown_code(pair: Breakdown) -> str:
    """The URL code of a breakdown: "_T", "sex" or "sex.age_group"."""
    dim1, dim2 = pair
    return dim1 if dim2 == TOTAL else f"{dim1}{BREAKDOWN_SEPARATOR}{dim2}"


def breakdown_pair(code: str) -> Breakdown:
    dim1, _, dim2 = code.partition(BREAKDOWN_SEPARATOR)
    return dim1, dim2 or TOTAL


def breakdown_label(code: str, vocab: Vocabulary, lang: str, total_label: str) -> str:
    dim1, dim2 = breakdown_pair(code)
    if dim1 == TOTAL:
        return total_label
    if dim2 == TOTAL:
        return vocab.dimension_label(dim1, lang)
    return f"{vocab.dimension_label(dim1, lang)} × {vocab.dimension_label(dim2, lang)}"
