-- The dimensions with their labels, in codebook order.
SELECT code, label_fi, label_sv, label_en, sort
FROM dimension
WHERE code <> '_T'
ORDER BY sort, code;
