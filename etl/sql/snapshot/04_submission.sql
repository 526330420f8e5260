-- The submissions in force at this data version: one per organisation and period.
CREATE TABLE snap.submission AS
SELECT id, org_code, period, version, published_version, loaded_at
FROM submission
WHERE published_version <= $version
  AND (ended_version IS NULL OR ended_version > $version);
