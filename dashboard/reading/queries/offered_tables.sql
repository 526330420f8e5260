-- The tables a snapshot offers: those with at least one cell that is not withheld (etl.disclosure).
-- Pickers list only these; a table withheld for a period is left out, never shown as `x`.
SELECT DISTINCT measure, subset, dim1, dim2, kind, year
FROM published_cell
WHERE reason IS NULL OR reason NOT IN ('members', 'group', 'unsafe', 'empty', 'fold_row')
ORDER BY ALL;
