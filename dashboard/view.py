"""What a page knows about the view it shows: language, data version, labels, threshold, breaks, notes."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import pandas as pd

from dashboard.presenting import notes
from dashboard.reading.vocabulary import Vocabulary
from etl.publish.snapshots import SnapshotRef


@dataclass
class PageContext:
    lang: str
    snapshot: SnapshotRef
    vocab: Vocabulary
    threshold: int
    period_notes: pd.DataFrame  # series breaks and notes (period_notes.sql)

    def breaks(self, measure: str | None) -> pd.DataFrame:
        return notes.breaks_for(self.period_notes, measure, self.lang)

    def remarks(self, measure: str | None, years: Iterable[int]) -> pd.DataFrame:
        """The notes on periods for a measure that fall in `years` (those a chart shows)."""
        return notes.remarks_for(self.period_notes, measure, years, self.lang)

    def labels(self, dimension: str) -> dict[str, str]:
        return self.vocab.code_labels(dimension, self.lang)

    def namer(self, dimension: str) -> Callable[[str], str]:
        """code -> label in the page's language (unknown codes as themselves), e.g. for a widget's format_func."""
        labels = self.labels(dimension)
        return lambda code: labels.get(code, code)
