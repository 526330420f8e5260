-- Official reference series as staff left them, with who checked each against its source.
SELECT series, label_fi, label_sv, label_en, source_fi, source_sv, source_en, source_url,
       not_comparable_fi, not_comparable_sv, not_comparable_en, verified, verified_by, verified_on
FROM reference_series
ORDER BY series;
