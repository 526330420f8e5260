"""Durable files: what is written is on disk before anyone is told it is there.

A kill at any moment must leave either the old file or the whole new one, never
half of it: write a temporary file beside the target, fsync it, rename it over
the target (atomic on POSIX), then fsync the folder so the rename itself survives.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path


def fsync_path(path: Path) -> None:
    """Flush one file or folder (a folder's entries: names created or renamed in it) to disk."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_atomic(target: Path, data: bytes) -> None:
    """Replace `target` with `data` all at once; readers see the old bytes or the new, never a mix."""
    temporary = target.with_name(f".{target.name}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        with temporary.open("wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)
    fsync_path(target.parent)
