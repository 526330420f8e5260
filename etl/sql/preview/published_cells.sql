-- The published cells of one organisation and period, as the member sent them.
SELECT measure, dim1, code1, dim2, code2, value, flag
FROM fact_reported
WHERE org_code = $org AND period = $period;
