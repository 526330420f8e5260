-- Every offered network cell of a snapshot, margins left out (they are cells of their own tables):
-- the whole published dataset (etl.publish.dataset). A withheld table or cell is not offered at all.
SELECT measure, dim1, dim2, period, year, kind, code1, code2, value, flag, members
FROM published_cell
WHERE subset = 'all'
  AND (reason IS NULL OR reason NOT IN ('members', 'group', 'unsafe', 'empty', 'fold_row'))
  AND (dim1 = '_T' OR code1 <> '_T')
  AND (dim2 = '_T' OR code2 <> '_T');
