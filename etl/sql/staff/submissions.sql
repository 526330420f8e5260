-- Every version of every submission (or of one organisation's), newest first, with its file.
SELECT id, org_code, period, year, kind, version, status, file_name, extension, size_bytes,
       file_sha256, loaded_by, loaded_at, row_count, published_version, ended_version, comment
FROM submission
WHERE $org IS NULL OR org_code = $org
ORDER BY org_code, year DESC, kind, version DESC;
