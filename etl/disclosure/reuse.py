"""Protected years kept for reuse: a preview's protection is the publication's when nothing changed.

An upload's preview protects the year it changes against every retained version; the
publication that follows protects the same facts against the same versions. The result is a
pure function of those inputs (a rebuild gives identical snapshots), so it is stored under a
key of everything it depends on and the publication reads it instead of protecting again.

A stored year holds exact figures (the `persons` column): it lives in data/processed, readable
by the service user only, and is deleted after KEEP_HOURS. A missing, old or unreadable file
only means the year is protected again.
"""

from __future__ import annotations

import hashlib
import logging
import os
import time
import uuid
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from etl.disclosure.engine import Prior

KEEP_HOURS = 24
log = logging.getLogger(__name__)


def frame_digest(frame: pd.DataFrame) -> bytes:
    """The rows' content as bytes to hash (the year fingerprint of etl.disclosure.snapshot uses it too)."""
    return pd.util.hash_pandas_object(frame.reset_index(drop=True), index=False).to_numpy().tobytes()


def key(fingerprint: str, year: int, priors: Sequence[Prior], folded: frozenset, shown: frozenset) -> str:
    """What a year's protection depends on beyond its own fingerprint: every retained version's view."""
    digest = hashlib.sha256(f"{fingerprint}|{year}".encode())
    for prior in priors:
        digest.update(f"|v{prior.version}|".encode())
        digest.update(frame_digest(prior.cells[prior.cells["year"] == year]))
        digest.update(frame_digest(prior.facts[prior.facts["year"] == year]))
        for subset in prior.subsets:  # sorted: a frozenset's order differs between processes
            digest.update(repr((subset.name, sorted(subset.orgs or ()), subset.kinds, subset.measure)).encode())
            digest.update(repr((subset.first_year, subset.one_dimension)).encode())
    digest.update(repr(sorted(entry for entry in folded | shown if entry[1] == year)).encode())
    return digest.hexdigest()


def load(folder: Path | None, name: str) -> pd.DataFrame | None:
    """The protected year stored under `name`, or None."""
    if folder is None:
        return None
    path = folder / f"{name}.parquet"
    try:
        return pd.read_parquet(path)
    except FileNotFoundError:
        return None
    except Exception:  # a damaged file is protected again, never trusted
        log.warning("protected year %s unreadable: protected again", path, exc_info=True)
        return None


def store(folder: Path | None, name: str, protected: pd.DataFrame) -> None:
    """Keep a protected year (written whole, then renamed: a reader never sees half a file)."""
    if folder is None:
        return
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    sweep(folder)
    partial = folder / f".{name}-{uuid.uuid4().hex[:8]}.partial"
    try:
        protected.to_parquet(partial, index=False)
        os.chmod(partial, 0o600)
        os.replace(partial, folder / f"{name}.parquet")
    except OSError:  # a full disk costs time only
        log.warning("could not keep a protected year in %s", folder, exc_info=True)
        partial.unlink(missing_ok=True)


def sweep(folder: Path, hours: float = KEEP_HOURS) -> int:
    """Delete stored years older than `hours`; returns how many."""
    limit = time.time() - hours * 3600
    old = [path for path in folder.iterdir() if path.is_file() and path.stat().st_mtime < limit]
    for path in old:
        path.unlink(missing_ok=True)
    return len(old)
