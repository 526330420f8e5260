-- The period notes of a version with their period codes (the Notes and sources page compares them).
SELECT id, period, kind, measure, label_fi, label_sv, label_en
FROM period_note
ORDER BY id;
