-- The tables (measure and breakdown) of the newest live version (draft, pending or
-- published) of each (organisation, period) in the registered table `wanted_pairs`.
SELECT DISTINCT s.org_code, s.period, f.measure, f.dim1, f.dim2
FROM (
    SELECT s.id, s.org_code, s.period
    FROM submission AS s
    JOIN wanted_pairs AS w ON w.org_code = s.org_code AND w.period = s.period
    WHERE s.status IN ('draft', 'pending', 'published')
    QUALIFY s.version = max(s.version) OVER (PARTITION BY s.org_code, s.period)
) AS s
JOIN fact AS f ON f.submission_id = s.id;
