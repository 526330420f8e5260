-- One new draft version per (organisation, period) in `new_submissions`
-- (org_code, period, version, id: id is NULL for a new load, given in a rebuild).
INSERT INTO submission (id, org_code, period, version, status, file_sha256, loaded_by, loaded_at, row_count)
SELECT coalesce(n.id, nextval('submission_id_seq')), n.org_code, n.period, n.version, 'draft',
       $sha256, $actor, $loaded_at, n.row_count
FROM new_submissions AS n
ORDER BY n.org_code, n.period
RETURNING id, org_code, period, version;
