-- How many members reported a total for a measure in each period (coverage, no figures).
SELECT period, year, kind, count(DISTINCT org_code)::BIGINT AS members
FROM coverage
WHERE measure = $measure
GROUP BY period, year, kind
ORDER BY year, kind;
