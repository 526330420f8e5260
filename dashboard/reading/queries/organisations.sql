-- The member register as published with this version (names only, never figures).
SELECT code, name_fi, name_sv, name_en, org_type, active_from, active_to
FROM organisation
ORDER BY name_fi, code;
