-- The measures with their labels and nature, in codebook order.
SELECT code, label_fi, label_sv, label_en, nature, unit, multi_response, sort
FROM measure
ORDER BY sort, code;
