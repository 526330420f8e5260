-- Periods of one table that the snapshot does not offer (withheld whole: etl.disclosure).
SELECT DISTINCT year, kind
FROM published_cell
WHERE measure = $measure AND subset = $subset AND dim1 = $dim1 AND dim2 = $dim2
  AND kind = ANY($kinds) AND year BETWEEN $first_year AND $last_year
  AND reason IN ('members', 'group', 'unsafe', 'empty')
ORDER BY ALL;
