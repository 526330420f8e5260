-- Official series shown beside the network's figures, with sources and why they differ.
SELECT series, label_fi, label_sv, label_en, source_fi, source_sv, source_en, source_url,
       not_comparable_fi, not_comparable_sv, not_comparable_en, verified
FROM reference_series
ORDER BY series;
