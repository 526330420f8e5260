-- The like-for-like member groups of one measure and their members.
SELECT l.subset, l.family, l.first_year, m.org_code
FROM published_level AS l
JOIN published_level_member AS m USING (measure, subset)
WHERE l.measure = $measure
ORDER BY l.first_year, m.org_code;
