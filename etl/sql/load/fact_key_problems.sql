-- The fact table's keys, checked once for a whole load before its insert (the table has
-- none: a per-row index lookup cost more than the insert itself). Validation refuses all
-- of these with a message for the member, so a row here is a bug and the load stops.
-- Up to 10 rows of `new_cells` that break a key, and which key.
WITH keyed AS (
    SELECT org_code, period, measure, dim1, code1, dim2, code2 FROM new_cells
),
problems AS (
    SELECT 'breakdown' AS problem, c.* FROM keyed AS c
    ANTI JOIN breakdown AS b ON b.measure = c.measure AND b.dim1 = c.dim1 AND b.dim2 = c.dim2
    UNION ALL
    SELECT 'code1', c.* FROM keyed AS c
    ANTI JOIN code AS k ON k.dimension = c.dim1 AND k.code = c.code1
    UNION ALL
    SELECT 'code2', c.* FROM keyed AS c
    ANTI JOIN code AS k ON k.dimension = c.dim2 AND k.code = c.code2
    UNION ALL
    SELECT 'duplicate', * FROM keyed GROUP BY ALL HAVING count(*) > 1
)
SELECT * FROM problems ORDER BY ALL LIMIT 10;
