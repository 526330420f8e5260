-- The cells of the new submissions, each pointed at its submission by (organisation, period).
INSERT INTO fact (submission_id, measure, dim1, code1, dim2, code2, value, flag)
SELECT s.id, c.measure, c.dim1, c.code1, c.dim2, c.code2, c.value, c.flag
FROM new_cells AS c
JOIN inserted_submissions AS s ON s.org_code = c.org_code AND s.period = c.period;
