-- An earlier version's published cells as the attack model reads them (of $years; NULL: every year).
SELECT * FROM published_cell
WHERE $years IS NULL OR list_contains($years, year);
