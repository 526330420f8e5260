-- Protected network cells of one measure, breakdown and member group (etl.disclosure.snapshot).
-- Only dashboard/gate.py reads this. A table or cell not offered (withheld) is left out: no `x`
-- stands for a table nobody may see. `reason` is internal and never selected.
SELECT period, year, kind, code1, code2, value, flag, members
FROM published_cell
WHERE measure = $measure
  AND subset = $subset
  AND dim1 = $dim1
  AND dim2 = $dim2
  AND kind = ANY($kinds)
  AND year BETWEEN $first_year AND $last_year
  AND (reason IS NULL OR reason NOT IN ('members', 'group', 'unsafe', 'empty', 'fold_row'))
  AND ($margins OR ((dim1 = '_T' OR code1 <> '_T') AND (dim2 = '_T' OR code2 <> '_T')))
ORDER BY year, kind, code1, code2;
