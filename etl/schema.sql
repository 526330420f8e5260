-- Tilannekuva warehouse. Written only by etl (etl/warehouse/writer.py holds the one writer).
-- Codebook tables are filled from etl/codebook/*.csv; every fact names a code and breakdown of them.

CREATE TABLE IF NOT EXISTS schema_info (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- Codebook ----------------------------------------------------------------

CREATE TABLE IF NOT EXISTS dimension (
    code     TEXT PRIMARY KEY,          -- '_T' is the "no dimension" placeholder
    label_fi TEXT NOT NULL,
    label_sv TEXT NOT NULL,
    label_en TEXT NOT NULL,
    sort     INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS code (
    dimension TEXT NOT NULL REFERENCES dimension (code),
    code      TEXT NOT NULL,
    label_fi  TEXT NOT NULL,
    label_sv  TEXT NOT NULL,
    label_en  TEXT NOT NULL,
    eurostat  TEXT,
    htcds     TEXT,
    parent    TEXT,                     -- citizenship -> citizenship_group
    sort      INTEGER NOT NULL,
    PRIMARY KEY (dimension, code)
);

CREATE TABLE IF NOT EXISTS measure (
    code           TEXT PRIMARY KEY,
    label_fi       TEXT NOT NULL,
    label_sv       TEXT NOT NULL,
    label_en       TEXT NOT NULL,
    nature         TEXT NOT NULL CHECK (nature IN ('additive', 'non_additive', 'stock')),
    unit           TEXT NOT NULL CHECK (unit IN ('persons', 'contacts')),
    multi_response BOOLEAN NOT NULL,
    sort           INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS breakdown (
    measure TEXT NOT NULL REFERENCES measure (code),
    dim1    TEXT NOT NULL REFERENCES dimension (code),
    dim2    TEXT NOT NULL REFERENCES dimension (code),
    PRIMARY KEY (measure, dim1, dim2)
);

CREATE TABLE IF NOT EXISTS period (
    code       TEXT PRIMARY KEY,
    year       INTEGER NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('H1', 'H2', 'Y')),
    start_date DATE NOT NULL,
    end_date   DATE NOT NULL
);

CREATE TABLE IF NOT EXISTS org_type (
    code     TEXT PRIMARY KEY,
    label_fi TEXT NOT NULL,
    label_sv TEXT NOT NULL,
    label_en TEXT NOT NULL
);

-- Members -----------------------------------------------------------------

CREATE TABLE IF NOT EXISTS organisation (
    code        TEXT PRIMARY KEY CHECK (regexp_full_match(code, '[a-z0-9][a-z0-9-]{1,39}')),
    name_fi     TEXT NOT NULL,
    name_sv     TEXT NOT NULL,
    name_en     TEXT NOT NULL,
    org_type    TEXT NOT NULL REFERENCES org_type (code),
    active_from DATE NOT NULL,
    active_to   DATE,
    created_at  TIMESTAMP NOT NULL,
    CHECK (active_to IS NULL OR active_to >= active_from)
);

-- Contributions -----------------------------------------------------------

CREATE TABLE IF NOT EXISTS raw_file (
    sha256     TEXT PRIMARY KEY CHECK (regexp_full_match(sha256, '[0-9a-f]{64}')),
    file_name  TEXT NOT NULL,
    extension  TEXT NOT NULL,
    size_bytes BIGINT NOT NULL CHECK (size_bytes >= 0),
    first_seen TIMESTAMP NOT NULL
);

CREATE SEQUENCE IF NOT EXISTS submission_id_seq START 1;

-- One version of one organisation's figures for one period. The figures in
-- force at data version N are the submissions with published_version <= N and
-- (ended_version IS NULL OR ended_version > N), so any version can be rebuilt.
CREATE TABLE IF NOT EXISTS submission (
    id                BIGINT PRIMARY KEY DEFAULT nextval('submission_id_seq'),
    org_code          TEXT NOT NULL REFERENCES organisation (code),
    period            TEXT NOT NULL REFERENCES period (code),
    version           INTEGER NOT NULL CHECK (version >= 1),
    status            TEXT NOT NULL CHECK (status IN (
                          'draft', 'pending', 'returned', 'published',
                          'superseded', 'withdrawn', 'discarded')),
    file_sha256       TEXT NOT NULL REFERENCES raw_file (sha256),
    loaded_by         TEXT NOT NULL,
    loaded_at         TIMESTAMP NOT NULL,
    row_count         INTEGER NOT NULL CHECK (row_count >= 0),
    published_version INTEGER,
    ended_version     INTEGER,
    comment           TEXT,
    UNIQUE (org_code, period, version),
    CHECK (ended_version IS NULL OR ended_version > published_version)
);

-- One cell: a measure with at most two dimensions ('_T' where none).
-- Its keys are checked once per load, before the insert (etl/sql/load/fact_key_problems.sql:
-- the breakdown and codes exist, one row per cell of a submission), not row by row: a primary
-- key and foreign keys here took more than half of a million-row load. Rows come only from
-- a load (a new submission's validated cells) or a restore (a published submission's rows).
CREATE TABLE IF NOT EXISTS fact (
    submission_id BIGINT NOT NULL,
    measure       TEXT NOT NULL,
    dim1          TEXT NOT NULL DEFAULT '_T',
    code1         TEXT NOT NULL DEFAULT '_T',
    dim2          TEXT NOT NULL DEFAULT '_T',
    code2         TEXT NOT NULL DEFAULT '_T',
    value         BIGINT CHECK (value >= 0),      -- NULL: not collected; 0: none
    flag          TEXT CHECK (flag IN ('P', 'E', 'R')),
    CHECK ((dim1 = '_T') = (code1 = '_T')),
    CHECK ((dim2 = '_T') = (code2 = '_T')),
    CHECK (dim2 = '_T' OR dim1 <> '_T')
);

-- Publication ---------------------------------------------------------------

CREATE TABLE IF NOT EXISTS data_version (
    version      INTEGER PRIMARY KEY CHECK (version >= 1),
    published_at TIMESTAMP NOT NULL,
    published_by TEXT NOT NULL,
    note         TEXT,
    summary      JSON
);

-- Context -----------------------------------------------------------------

CREATE TABLE IF NOT EXISTS period_note (
    id       TEXT PRIMARY KEY,
    period   TEXT NOT NULL REFERENCES period (code),
    kind     TEXT NOT NULL CHECK (kind IN ('break', 'note')),
    measure  TEXT REFERENCES measure (code),  -- NULL: every measure
    label_fi TEXT NOT NULL,
    label_sv TEXT NOT NULL,
    label_en TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS reference_series (
    series             TEXT PRIMARY KEY,
    label_fi           TEXT NOT NULL,
    label_sv           TEXT NOT NULL,
    label_en           TEXT NOT NULL,
    source_fi          TEXT NOT NULL,
    source_sv          TEXT NOT NULL,
    source_en          TEXT NOT NULL,
    source_url         TEXT NOT NULL,
    not_comparable_fi  TEXT NOT NULL,
    not_comparable_sv  TEXT NOT NULL,
    not_comparable_en  TEXT NOT NULL,
    verified           BOOLEAN NOT NULL,
    verified_by        TEXT,  -- who checked it against its source (etl/warehouse/context.py)
    verified_on        DATE
);
-- Warehouses made before the verification columns.
ALTER TABLE reference_series ADD COLUMN IF NOT EXISTS verified_by TEXT;
ALTER TABLE reference_series ADD COLUMN IF NOT EXISTS verified_on DATE;

CREATE TABLE IF NOT EXISTS reference_value (
    series TEXT NOT NULL REFERENCES reference_series (series),
    period TEXT NOT NULL REFERENCES period (code),
    value  BIGINT NOT NULL CHECK (value >= 0),
    PRIMARY KEY (series, period)
);

-- Audit log: append-only. DuckDB has no triggers or grants, so each row is
-- sealed: row_hash must equal the hash of the row and the previous row's hash
-- (CHECK), and audit_seal references (id, row_hash) (FOREIGN KEY), so UPDATE
-- and DELETE of a sealed row are refused by the database itself.
CREATE SEQUENCE IF NOT EXISTS audit_id_seq START 1;

CREATE TABLE IF NOT EXISTS audit_log (
    id         BIGINT PRIMARY KEY,
    logged_at  TIMESTAMP NOT NULL,
    actor      TEXT NOT NULL,
    action     TEXT NOT NULL,
    outcome    TEXT NOT NULL,
    detail     JSON NOT NULL,
    prev_hash  TEXT NOT NULL,
    row_hash   TEXT NOT NULL,
    CHECK (row_hash = sha256(concat_ws(chr(31), prev_hash, id::TEXT,
        strftime(logged_at, '%Y-%m-%dT%H:%M:%S.%f'), actor, action, outcome, detail::TEXT))),
    UNIQUE (id, row_hash)
);

CREATE TABLE IF NOT EXISTS audit_seal (
    id       BIGINT PRIMARY KEY,
    row_hash TEXT NOT NULL,
    FOREIGN KEY (id, row_hash) REFERENCES audit_log (id, row_hash)
);
