-- What this snapshot is: one published data version.
CREATE TABLE snap.meta AS
SELECT
    v.version,
    v.published_at,
    v.published_by,
    v.note,
    coalesce((SELECT value FROM schema_info WHERE key = 'dataset'), 'real') AS dataset,
    now()::TIMESTAMP AS built_at
FROM data_version AS v
WHERE v.version = $version;
