-- Mart: the cells every view reads, one row per organisation, period and cell.
-- A year a member did not send is built from its halves (DATA-CONTRACT 2):
-- additive measures are H1 + H2, stock measures take H2, non-additive ones
-- need a year contribution. A measure sent for the year wins over its halves.
-- A row a member left out of a table it sent (a country with no clients, say)
-- counts as 0, so a derived year's breakdown still sums to its total: the
-- disclosure rules rely on that (year = H1 + H2, cell by cell).
CREATE TABLE snap.fact AS
WITH half_tables AS (
    SELECT org_code, year, measure, dim1, dim2,
           bool_or(kind = 'H1') AS in_h1,
           bool_or(kind = 'H2') AS in_h2
    FROM snap.fact_reported
    WHERE kind IN ('H1', 'H2')
    GROUP BY ALL
),
halves AS (
    SELECT r.org_code, r.year, r.measure, r.dim1, r.code1, r.dim2, r.code2, m.nature,
           t.in_h1, t.in_h2,
           count(*) FILTER (WHERE r.kind = 'H2') AS n_h2,
           CASE WHEN count(*) = count(r.value) THEN sum(r.value) END AS sum_value,
           CASE WHEN count(*) FILTER (WHERE r.kind = 'H2') = 0 THEN 0
                ELSE any_value(r.value) FILTER (WHERE r.kind = 'H2') END AS h2_value,
           CASE WHEN bool_or(r.flag = 'P') THEN 'P'
                WHEN bool_or(r.flag = 'E') THEN 'E'
                WHEN bool_or(r.flag = 'R') THEN 'R' END AS flag
    FROM snap.fact_reported AS r
    JOIN measure AS m ON m.code = r.measure
    JOIN half_tables AS t USING (org_code, year, measure, dim1, dim2)
    WHERE r.kind IN ('H1', 'H2') AND m.nature <> 'non_additive'
    GROUP BY ALL
),
derived AS (
    SELECT org_code, year, measure, dim1, code1, dim2, code2,
           CASE nature WHEN 'additive' THEN sum_value ELSE h2_value END AS value,
           flag
    FROM halves AS h
    WHERE (nature = 'additive' AND in_h1 AND in_h2)
       OR (nature = 'stock' AND in_h2)
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
