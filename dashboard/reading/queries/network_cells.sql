-- Unprotected network sums of one measure and breakdown; only dashboard/gate.py reads this.
-- members: how many organisations have a value in the cell.
SELECT
    period,
    year,
    kind,
    code1,
    code2,
    sum(value)::BIGINT AS value,
    count(value)::BIGINT AS members,
    string_agg(DISTINCT flag, '' ORDER BY flag) AS data_flags
FROM fact
WHERE measure = $measure
  AND dim1 = $dim1
  AND dim2 = $dim2
  AND kind = ANY($kinds)
  AND year BETWEEN $first_year AND $last_year
  AND ($orgs IS NULL OR list_contains($orgs, org_code))
GROUP BY period, year, kind, code1, code2
ORDER BY year, kind, code1, code2;
