-- The member register as of the last export.
SELECT code, name_fi, name_sv, name_en, org_type, active_from, active_to, created_at
FROM organisation
ORDER BY code;
