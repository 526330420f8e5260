-- A private preview snapshot: the current snapshot (attached as `cur`) with one
-- organisation's period replaced by the uploaded cells (the registered table
-- `new_cells`), as it would be published as data version $version. The plain
-- tables are copied before this runs; snap.fact and snap.coverage are then built
-- by the snapshot's own models (etl/sql/snapshot/06_fact.sql, 07_coverage.sql).
CREATE TABLE snap.meta AS
SELECT * REPLACE ($version::INTEGER AS version, $at::TIMESTAMP AS published_at, $by AS published_by,
                  'preview' AS note, now()::TIMESTAMP AS built_at)
FROM cur.meta;
INSERT INTO snap.data_version (version, published_at, published_by, note)
VALUES ($version, $at, $by, 'preview');
CREATE TABLE snap.submission AS
SELECT * FROM cur.submission
WHERE NOT (org_code = $org AND period = $period)
UNION ALL
SELECT $submission_id::BIGINT, $org, $period, $submission_version::INTEGER, $version::INTEGER, $at::TIMESTAMP;
CREATE TABLE snap.fact_reported AS
SELECT * FROM cur.fact_reported
WHERE NOT (org_code = $org AND period = $period)
UNION ALL
SELECT $org, $period, p.year, p.kind, c.measure, c.dim1, c.code1, c.dim2, c.code2, c.value::BIGINT, c.flag
FROM new_cells AS c
JOIN snap.period AS p ON p.code = $period;
