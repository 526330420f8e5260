-- Members' exact cells of one snapshot (the input of disclosure control), of $years (NULL: every year).
SELECT org_code, measure, year, kind, dim1, code1, dim2, code2,
       value::DOUBLE AS value, coalesce(flag, '') AS flag, derived
FROM fact
WHERE ($measure IS NULL OR measure = $measure)
  AND ($years IS NULL OR list_contains($years, year))
ORDER BY measure, year, kind, dim1, code1, dim2, code2, org_code;
