-- The account store (SQLite, data/processed/accounts.sqlite3). Not the warehouse:
-- several dashboard processes sign people in at once, DuckDB allows one writer.
-- Times are ISO 8601 text in UTC. Passwords are stored only as argon2id hashes.

CREATE TABLE IF NOT EXISTS account (
    username        TEXT PRIMARY KEY CHECK (username = lower(username) AND length(username) BETWEEN 2 AND 64),
    display_name    TEXT NOT NULL DEFAULT '',
    email           TEXT CHECK (email IS NULL OR (email = lower(email) AND instr(email, '@') > 1)),
    role            TEXT NOT NULL CHECK (role IN ('member', 'reporter', 'observer', 'coordinator', 'admin')),
    org_code        TEXT,
    password_hash   TEXT NOT NULL CHECK (password_hash LIKE '$argon2id$%'),
    disabled        INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
    failed_attempts INTEGER NOT NULL DEFAULT 0 CHECK (failed_attempts >= 0),
    locked_until    TEXT,
    last_login_at   TEXT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    -- members and reporters belong to exactly one organisation; observers and staff to none
    CHECK ((role IN ('member', 'reporter')) = (org_code IS NOT NULL))
);

-- Single sign-on maps an identity to an account by e-mail, so an address names one account.
CREATE UNIQUE INDEX IF NOT EXISTS account_email ON account (email) WHERE email IS NOT NULL;

-- Signed-in browsers (dashboard/routes.py sets the cookie). Only a hash of each random id is
-- kept: a copy of this file opens no session. A `grant` is the one-time, one-minute hand-over
-- from the sign-in page to the route that sets the cookie; a `session` lasts until sign-out, idle
-- or absolute expiry (settings), or until its account is disabled or its password reset.
CREATE TABLE IF NOT EXISTS web_session (
    token_hash   TEXT PRIMARY KEY,
    kind         TEXT NOT NULL CHECK (kind IN ('grant', 'session')),
    username     TEXT NOT NULL REFERENCES account (username) ON DELETE CASCADE,
    created_at   TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    expires_at   TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS web_session_user ON web_session (username);

-- Access tokens for researchers' scripts on the open data interface (/api/v1/, docs/api.md):
-- issued and revoked by staff on the Users page, each an audit row. Only a hash is kept; the
-- token is shown once. `id` is the start of the hash: what the page and the audit log name.
CREATE TABLE IF NOT EXISTS api_token (
    id           TEXT PRIMARY KEY,
    token_hash   TEXT NOT NULL UNIQUE,
    label        TEXT NOT NULL CHECK (length(label) BETWEEN 1 AND 100),
    created_by   TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    revoked_at   TEXT,
    last_used_at TEXT
);

-- Settings the coordinator changes on the dashboard (etl.services.site_settings), each change an
-- audit row. A setting not set here takes its value from the environment (docs/configuration.md).
CREATE TABLE IF NOT EXISTS site_setting (
    name       TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    changed_by TEXT NOT NULL,
    changed_at TEXT NOT NULL
);

-- Reporting rounds (etl.services.rounds): staff open one per period with a deadline and the
-- measures expected; members see it on their workspace until staff close it. Opening a round
-- for a period that has one changes its deadline and measures (and opens it again).
CREATE TABLE IF NOT EXISTS reporting_round (
    period    TEXT PRIMARY KEY,
    deadline  TEXT NOT NULL,  -- ISO date
    measures  TEXT NOT NULL,  -- measure codes, comma-separated
    opened_by TEXT NOT NULL,
    opened_at TEXT NOT NULL,
    closed_at TEXT
);

-- The situation report staff write per period: its draft (title and sections in fi/sv/en,
-- figures by their dashboard address, as JSON) and where it stands. Published editions
-- are files (etl/publish/reports.py), each with the data version its figures come from.
CREATE TABLE IF NOT EXISTS situation_report (
    period     TEXT PRIMARY KEY,
    content    TEXT NOT NULL,  -- JSON: {"title": {lang: text}, "sections": [{"heading", "text", "figures"}]}
    status     TEXT NOT NULL CHECK (status IN ('draft', 'review', 'published')),
    comment    TEXT,           -- why a reviewer sent it back
    updated_by TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
