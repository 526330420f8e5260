"""Every path, limit and setting in one place, each overridable from the environment.

Settings are read from the environment each time `get_settings()` is called, so a
test or a deployment changes them with environment variables alone.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from etl.errors import ConfigError
from etl.i18n import LANGUAGES

PROJECT_ROOT = Path(__file__).resolve().parent.parent
MIN_THRESHOLD = 3  # DATA-CONTRACT 8.1: the threshold is never below 3
ENV_PREFIX = "TILANNEKUVA_"


def _cores(at_most: int) -> int:
    return min(os.cpu_count() or 1, at_most)


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    disclosure_threshold: int = 5
    max_upload_mb: int = 10
    max_inflation_ratio: int = 100  # uncompressed / compressed size of an XLSX
    max_rows: int = 2_000_000
    default_lang: str = "fi"
    public_mode: bool = False
    public_figure_links: bool = True  # /f/<code>: exported or cited figures open without sign-in
    licence: str = "CC BY 4.0"
    session_timeout_minutes: int = 60  # a signed-in page without a browser session (single sign-on, tests)
    session_idle_hours: int = 8  # a browser session ends after this long without a page
    session_days: int = 7  # and at the latest this long after signing in
    max_failed_logins: int = 5  # consecutive failures that lock an account
    lockout_minutes: int = 15  # how long a locked account stays locked
    demo_seed: int = 2024
    api_requests_per_minute: int = 120  # /api/v1/ from one address, then 429
    # processes that protect a publication's changed years side by side
    protect_workers: int = field(default_factory=lambda: _cores(4))
    backup_root: Path | None = None  # where `python -m etl backup` writes; None: beside the data folder
    # E-mail for reporting-round reminders: nothing is sent unless a host is set.
    smtp_host: str | None = None
    smtp_port: int = 587
    smtp_starttls: bool = True
    smtp_user: str | None = None
    smtp_password: str | None = field(default=None, repr=False)  # never in a log line
    smtp_sender: str | None = None  # the From address

    @property
    def raw_dir(self) -> Path:
        return self.data_dir / "raw"

    @property
    def processed_dir(self) -> Path:
        return self.data_dir / "processed"

    @property
    def warehouse_path(self) -> Path:
        return self.processed_dir / "warehouse.duckdb"

    @property
    def snapshots_dir(self) -> Path:
        return self.processed_dir / "snapshots"

    @property
    def public_figures_dir(self) -> Path:
        """Figures opened without sign-in at /f/<code> (etl.publish.public_figures); backed up."""
        return self.processed_dir / "public-figures"

    @property
    def reports_dir(self) -> Path:
        """Published editions of the situation report (etl.publish.reports); backed up."""
        return self.processed_dir / "reports"

    @property
    def protected_years_dir(self) -> Path:
        """Years protected for a preview, kept for the publication that follows (etl.disclosure.reuse)."""
        return self.processed_dir / "protected-years"

    @property
    def current_pointer(self) -> Path:
        """A small JSON file naming the published snapshot the dashboard serves."""
        return self.processed_dir / "CURRENT.json"

    @property
    def lock_path(self) -> Path:
        return self.processed_dir / ".writer.lock"

    @property
    def audit_spool_dir(self) -> Path:
        """Audit rows of attempts that could not reach the warehouse (it was busy)."""
        return self.processed_dir / "audit-spool"

    @property
    def accounts_path(self) -> Path:
        """The account store (SQLite, not the warehouse: many dashboard processes sign people in at once)."""
        return self.processed_dir / "accounts.sqlite3"

    @property
    def backup_dir(self) -> Path:
        """Default parent folder of backups; outside the data folder, so losing one does not lose the other."""
        return self.backup_root or self.data_dir.parent / "backups"

    @property
    def log_path(self) -> Path:
        return self.data_dir / "logs" / "tilannekuva.log"

    @property
    def max_upload_bytes(self) -> int:
        return self.max_upload_mb * 1024 * 1024


def _env(name: str) -> str | None:
    value = os.environ.get(ENV_PREFIX + name)
    return value.strip() if value is not None and value.strip() else None


def _int(name: str, default: int, minimum: int = 1) -> int:
    raw = _env(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError("config.not_integer", name=ENV_PREFIX + name, value=raw) from None
    if value < minimum:
        raise ConfigError("config.too_small", name=ENV_PREFIX + name, value=value, minimum=minimum)
    return value


def _bool(name: str, default: bool) -> bool:
    raw = _env(name)
    if raw is None:
        return default
    return raw.lower() in {"1", "true", "yes", "on", "kyllä", "ja"}


def get_settings() -> Settings:
    """The settings as the environment gives them now (see docs/configuration.md)."""
    data_dir = Path(_env("DATA_DIR") or PROJECT_ROOT / "data").resolve()
    lang = (_env("LANG") or "fi").lower()
    if lang not in LANGUAGES:
        raise ConfigError("config.bad_language", value=lang, choices=", ".join(LANGUAGES))
    return Settings(
        data_dir=data_dir,
        disclosure_threshold=_int("THRESHOLD", 5, minimum=MIN_THRESHOLD),
        max_upload_mb=_int("MAX_UPLOAD_MB", 10),
        max_inflation_ratio=_int("MAX_INFLATION_RATIO", 100),
        max_rows=_int("MAX_ROWS", 2_000_000),
        default_lang=lang,
        public_mode=_bool("PUBLIC_MODE", False),
        public_figure_links=_bool("PUBLIC_FIGURE_LINKS", True),
        licence=_env("LICENCE") or "CC BY 4.0",
        session_timeout_minutes=_int("SESSION_TIMEOUT_MINUTES", 60),
        session_idle_hours=_int("SESSION_IDLE_HOURS", 8),
        session_days=_int("SESSION_DAYS", 7),
        max_failed_logins=_int("MAX_FAILED_LOGINS", 5),
        lockout_minutes=_int("LOCKOUT_MINUTES", 15),
        demo_seed=_int("DEMO_SEED", 2024, minimum=0),
        api_requests_per_minute=_int("API_REQUESTS_PER_MINUTE", 120, minimum=1),
        protect_workers=_int("PROTECT_WORKERS", _cores(4)),
        backup_root=Path(backup).resolve() if (backup := _env("BACKUP_DIR")) else None,
        smtp_host=_env("SMTP_HOST"),
        smtp_port=_int("SMTP_PORT", 587),
        smtp_starttls=_bool("SMTP_STARTTLS", True),
        smtp_user=_env("SMTP_USER"),
        smtp_password=_env("SMTP_PASSWORD"),
        smtp_sender=_env("SMTP_SENDER"),
    )
