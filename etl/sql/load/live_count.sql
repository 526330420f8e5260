-- How many of the (organisation, period) pairs in `wanted_pairs` have a live version.
SELECT count(DISTINCT (s.org_code, s.period))
FROM submission AS s
JOIN wanted_pairs AS w ON w.org_code = s.org_code AND w.period = s.period
WHERE s.status IN ('draft', 'pending', 'published');
