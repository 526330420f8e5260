-- Every version up to this one, so a page can say what changed when.
CREATE TABLE snap.data_version AS
SELECT version, published_at, published_by, note, summary
FROM data_version
WHERE version <= $version;
