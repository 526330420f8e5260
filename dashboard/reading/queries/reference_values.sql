-- The values of one official reference series by year.
SELECT p.year, v.value::BIGINT AS value
FROM reference_value AS v
JOIN period AS p ON p.code = v.period
WHERE v.series = $series AND p.kind = 'Y'
ORDER BY p.year;
