"""Password rules and argon2id hashing: what a new password must be, and checking one against its hash."""

from __future__ import annotations

import os
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from etl.errors import InputError
from etl.services.account_store import normalise_username

# argon2id with OWASP's minimum parameters (19 MiB, 2 passes, 1 lane; Password Storage Cheat Sheet):
# 26 ms a check here, where the library's RFC 9106 default (64 MiB, 3 passes, 4 lanes) took 160 ms
# of every sign-in on 2 cores (docs/benchmarks.md, Sign-in).
HASHER = PasswordHasher(time_cost=2, memory_cost=19_456, parallelism=1)
MIN_PASSWORD, MAX_PASSWORD = 12, 1024


def check_password(password: str, username: str) -> None:
    """The password rules: long enough, not absurdly long, not the user name."""
    if len(password) < MIN_PASSWORD:
        raise InputError("accounts.password_too_short", minimum=MIN_PASSWORD)
    if len(password) > MAX_PASSWORD:
        raise InputError("accounts.password_too_long", maximum=MAX_PASSWORD)
    if normalise_username(password) == username:
        raise InputError("accounts.password_is_username")


@cache
def dummy_hash() -> str:
    """Checked against when the user name does not exist, so a miss costs what a hit costs."""
    return HASHER.hash(os.urandom(16).hex())


def verify(hashed: str, password: str) -> bool:
    try:
        return HASHER.verify(hashed, password)
    except (VerificationError, InvalidHashError):
        return False
