-- The allowed breakdowns of each measure (the total first), in codebook order.
SELECT b.measure, b.dim1, b.dim2
FROM breakdown AS b
JOIN measure AS m ON m.code = b.measure
LEFT JOIN dimension AS d1 ON d1.code = b.dim1
LEFT JOIN dimension AS d2 ON d2.code = b.dim2
ORDER BY m.sort, b.dim1 <> '_T', d1.sort, b.dim2 <> '_T', d2.sort;
