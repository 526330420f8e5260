-- Network new clients per year and how many members reported them.
SELECT
    year,
    sum(value)::BIGINT AS value,
    count(DISTINCT org_code)::BIGINT AS members
FROM fact
WHERE measure = 'PERS_NEW'
  AND dim1 = '_T'
  AND kind = 'Y'
  AND value IS NOT NULL
GROUP BY year
ORDER BY year;
