"""Error types meant for people: each names a catalogue key, so it reads in fi, sv and en."""

from __future__ import annotations

from typing import Any


class TilannekuvaError(Exception):
    """Base of every error the project raises on purpose.

    `key` is a message key in etl/locales; `params` fill it in. The message says
    what happened, where, and what to do; tracebacks go to the log, not to people.
    """

    exit_code = 1

    def __init__(self, key: str, **params: Any) -> None:
        self.key = key
        self.params = params
        super().__init__(key)

    def message(self, lang: str = "en") -> str:
        from etl.i18n import t

        return t(self.key, lang, **self.params)

    def __str__(self) -> str:
        return self.message("en")


class ConfigError(TilannekuvaError):
    """A setting in the environment is not usable."""

    exit_code = 78  # EX_CONFIG


class BusyError(TilannekuvaError):
    """Another write to the warehouse is under way; nothing was changed."""

    exit_code = 75  # EX_TEMPFAIL: try again

    def __init__(self, key: str = "busy.writer", **params: Any) -> None:
        super().__init__(key, **params)


class InputError(TilannekuvaError):
    """A command-line argument or a user's choice is not usable."""

    exit_code = 2


class NotFoundError(TilannekuvaError):
    """Something asked for (a version, an organisation, a file) does not exist."""

    exit_code = 3
