-- The (organisation, period) pairs of `new_cells` whose cells differ from the
-- newest live version of that pair (or that have no live version yet).
WITH live AS (
    SELECT s.id, s.org_code, s.period
    FROM submission AS s
    WHERE s.status IN ('draft', 'pending', 'published')
      AND (s.org_code, s.period) IN (SELECT DISTINCT org_code, period FROM new_cells)
    QUALIFY s.version = max(s.version) OVER (PARTITION BY s.org_code, s.period)
),
old AS (
    SELECT l.org_code, l.period, f.measure, f.dim1, f.code1, f.dim2, f.code2, f.value, f.flag
    FROM live AS l
    JOIN fact AS f ON f.submission_id = l.id
),
fresh AS (
    SELECT org_code, period, measure, dim1, code1, dim2, code2, value, flag FROM new_cells
),
difference AS (
    (SELECT * FROM fresh EXCEPT ALL SELECT * FROM old)
    UNION ALL
    (SELECT * FROM old EXCEPT ALL SELECT * FROM fresh)
)
SELECT DISTINCT org_code, period FROM difference ORDER BY org_code, period;
