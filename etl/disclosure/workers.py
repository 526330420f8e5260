"""Years protected side by side: years share no person, so each is its own problem.

A publication that changes several years (the demo's first run, a rebuild) protects
them in worker processes, one year each, the largest first. The result is the same
as one year after another: each year's protection depends only on its own inputs.
Workers are started fresh (`spawn`): the parent holds DuckDB connections and threads
that a forked child must not inherit. They are started without the parent's main
module: a Streamlit page script or a command-line entry point must not run again in them.
"""

from __future__ import annotations

import multiprocessing
import sys
import types
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager

import pandas as pd

from etl import logs
from etl.disclosure.engine import Prior, protect
from etl.disclosure.tables import Batch


def protect_years(
    batches: dict[int, Batch], threshold: int, priors: Sequence[Prior], workers: int = 1
) -> dict[int, pd.DataFrame]:
    """Each year's batch protected against the retained versions; in `workers` processes when there are several."""
    workers = min(workers, len(batches))
    if workers <= 1:
        return {year: protect(batch, threshold, priors) for year, batch in batches.items()}
    largest_first = sorted(batches, key=lambda year: (-len(batches[year].facts), year))
    log_path = logs.current_path()
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(workers, mp_context=context, initializer=logs.follow, initargs=(log_path,)) as pool:
        with _without_main():  # every worker starts at a submit
            futures = {
                year: pool.submit(protect, batches[year], threshold, [_of_year(prior, year) for prior in priors])
                for year in largest_first
            }
        return {year: futures[year].result() for year in sorted(batches)}


@contextmanager
def _without_main() -> Iterator[None]:
    """A spawned child imports the parent's `__main__` unless it has neither a file nor a module name."""
    main = sys.modules["__main__"]
    sys.modules["__main__"] = types.ModuleType("__main__")
    try:
        yield
    finally:
        sys.modules["__main__"] = main


def _of_year(prior: Prior, year: int) -> Prior:
    """Only the year's rows travel to the worker (the engine reads no other)."""
    return Prior(
        prior.version, prior.facts[prior.facts["year"] == year], prior.cells[prior.cells["year"] == year], prior.subsets
    )
