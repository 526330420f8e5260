CREATE TABLE snap.organisation AS
SELECT code, name_fi, name_sv, name_en, org_type, active_from, active_to
FROM organisation;
