-- Staging: the exact cells of the submissions in force, as members sent them.
CREATE TABLE snap.fact_reported AS
SELECT s.org_code, s.period, p.year, p.kind, f.measure,
       f.dim1, f.code1, f.dim2, f.code2, f.value, f.flag
FROM snap.submission AS s
JOIN fact AS f ON f.submission_id = s.id
JOIN period AS p ON p.code = s.period;
