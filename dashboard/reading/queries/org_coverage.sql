-- Which organisations have a total for a measure in each period.
SELECT org_code, period, year, kind
FROM coverage
WHERE measure = $measure
ORDER BY org_code, year, kind;
