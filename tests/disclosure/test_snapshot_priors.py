"""What a publication reads of the retained versions: only the years it protects, and every cell of the newest.

The engine protects only the years whose fingerprint changed since the newest version and
reads no other year of a version, so the others are not read at all; the unchanged years
are copied from the newest version, so all of its cells are.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from etl.config import Settings
from etl.disclosure.snapshot import Inputs, read_inputs, read_priors
from etl.sqlfiles import open_snapshot

THRESHOLD = Settings(data_dir=Path(".")).disclosure_threshold  # the demo is built with the default


def _inputs(snapshot: Path) -> Inputs:
    with open_snapshot(snapshot) as con:
        return read_inputs(con)


def _stored_prints(snapshot: Path) -> dict[int, str]:
    with open_snapshot(snapshot) as con:
        return dict(con.execute("SELECT year, fingerprint FROM published_cluster").fetchall())


def _year(frame: pd.DataFrame, year: int) -> pd.DataFrame:
    return frame[frame["year"] == year].reset_index(drop=True)


def test_a_publication_reads_the_years_it_protects_and_every_cell_of_the_newest_version(demo_data_dir):
    snapshots = sorted((demo_data_dir / "processed" / "snapshots").glob("v*/tilannekuva.duckdb"))
    latest, earlier = snapshots[-1], snapshots[:-1]
    before, after = _stored_prints(earlier[-1]), _stored_prints(latest)
    protected = sorted(year for year in after if before.get(year) != after[year])  # what its publication protected
    assert protected and len(protected) < len(after)

    every = read_priors(earlier, _inputs(latest))
    some = read_priors(earlier, _inputs(latest), THRESHOLD)

    assert [prior.version for prior in some.priors] == [prior.version for prior in every.priors]
    for whole, part in zip(every.priors, some.priors, strict=True):
        assert set(part.facts["year"]) == set(whole.facts["year"]) & set(protected)
        for year in sorted(set(whole.facts["year"]) & set(protected)):
            pd.testing.assert_frame_equal(_year(part.facts, year), _year(whole.facts, year))
            pd.testing.assert_frame_equal(_year(part.cells, year), _year(whole.cells, year))
    pd.testing.assert_frame_equal(some.priors[-1].cells, every.priors[-1].cells)
    assert set(every.priors[0].cells["year"]) - set(some.priors[0].cells["year"])  # the older ones: fewer years
    assert (some.prior_prints, some.folded) == (every.prior_prints, every.folded)
