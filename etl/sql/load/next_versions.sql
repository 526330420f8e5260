-- The next version number of each (organisation, period) in `wanted_pairs`.
SELECT w.org_code, w.period, coalesce(max(s.version), 0) + 1 AS version
FROM wanted_pairs AS w
LEFT JOIN submission AS s ON s.org_code = w.org_code AND s.period = w.period
GROUP BY ALL
ORDER BY w.org_code, w.period;
