-- Every code of every dimension with its labels, in codebook order (labels only, no figures).
SELECT dimension, code, label_fi, label_sv, label_en, parent, sort
FROM code
ORDER BY dimension, sort, code;
