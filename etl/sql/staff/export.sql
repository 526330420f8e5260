-- The staff read model: what the coordinator's pages read, exported from the
-- warehouse after each write that changed something (etl/warehouse/staff.py). Run on the
-- writer's connection with the new file attached as `staff`.
CREATE TABLE staff.meta AS
SELECT
    now()::TIMESTAMP AS exported_at,
    (SELECT max(id) FROM audit_log) AS last_audit_id,
    coalesce((SELECT value FROM schema_info WHERE key = 'dataset'), 'real') AS dataset,
    (SELECT max(version) FROM data_version) AS data_version;
CREATE TABLE staff.organisation AS
SELECT code, name_fi, name_sv, name_en, org_type, active_from, active_to, created_at
FROM organisation;
CREATE TABLE staff.raw_file AS
SELECT sha256, file_name, extension, size_bytes, first_seen
FROM raw_file;
CREATE TABLE staff.submission AS
SELECT s.id, s.org_code, s.period, p.year, p.kind, s.version, s.status, s.file_sha256,
       r.file_name, r.extension, r.size_bytes, s.loaded_by, s.loaded_at, s.row_count,
       s.published_version, s.ended_version, s.comment
FROM submission AS s
JOIN period AS p ON p.code = s.period
LEFT JOIN raw_file AS r ON r.sha256 = s.file_sha256;
CREATE TABLE staff.data_version AS
SELECT version, published_at, published_by, note, summary::TEXT AS summary
FROM data_version;
CREATE TABLE staff.audit_log AS
SELECT id, logged_at, actor, action, outcome, detail::TEXT AS detail
FROM audit_log;
-- The context as staff left it (published with the next data version).
CREATE TABLE staff.period_note AS
SELECT n.id, n.period, p.year, p.kind AS period_kind, n.kind, n.measure, n.label_fi, n.label_sv, n.label_en
FROM period_note AS n
JOIN period AS p ON p.code = n.period;
CREATE TABLE staff.reference_series AS SELECT * FROM reference_series;
CREATE TABLE staff.reference_value AS SELECT * FROM reference_value;
