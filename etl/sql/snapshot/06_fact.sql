-- Mart: the cells every view reads, one row per organisation, period and cell.
-- A year a member did not send is built from its halves (DATA-CONTRACT 2):
-- additive measures are H1 + H2, stock measures take H2, non-additive ones
-- need a year contribution. A measure sent for the year wins over its halves.
CREATE TABLE snap.fact AS
WITH halves AS (
    SELECT r.org_code, r.year, r.measure, r.dim1, r.code1, r.dim2, r.code2, m.nature,
           count(*) FILTER (WHERE r.kind = 'H1') AS n_h1,
           count(*) FILTER (WHERE r.kind = 'H2') AS n_h2,
           CASE WHEN count(r.value) = 2 THEN sum(r.value) END AS sum_value,
           any_value(r.value) FILTER (WHERE r.kind = 'H2') AS h2_value,
           CASE WHEN bool_or(r.flag = 'P') THEN 'P'
                WHEN bool_or(r.flag = 'E') THEN 'E'
                WHEN bool_or(r.flag = 'R') THEN 'R' END AS flag
    FROM snap.fact_reported AS r
    JOIN measure AS m ON m.code = r.measure
    WHERE r.kind IN ('H1', 'H2') AND m.nature <> 'non_additive'
    GROUP BY ALL
),
derived AS (
    SELECT org_code, year, measure, dim1, code1, dim2, code2,
           CASE nature WHEN 'additive' THEN sum_value ELSE h2_value END AS value,
           flag
    FROM halves AS h
    WHERE (nature = 'additive' AND n_h1 = 1 AND n_h2 = 1)
       OR (nature = 'stock' AND n_h2 = 1)
)
SELECT org_code, period, year, kind, measure, dim1, code1, dim2, code2,
       value::BIGINT AS value, flag, false AS derived
FROM snap.fact_reported
UNION ALL
SELECT d.org_code, d.year::TEXT, d.year, 'Y', d.measure, d.dim1, d.code1, d.dim2, d.code2,
       d.value::BIGINT, d.flag, true
FROM derived AS d
WHERE NOT EXISTS (
    SELECT 1 FROM snap.fact_reported AS y
    WHERE y.org_code = d.org_code AND y.year = d.year AND y.kind = 'Y' AND y.measure = d.measure
);
