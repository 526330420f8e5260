-- Every published data version up to this snapshot, newest first, with what it changed.
SELECT version, published_at, note, summary::VARCHAR AS summary
FROM data_version
ORDER BY version DESC;
