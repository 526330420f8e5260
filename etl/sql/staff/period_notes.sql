-- Period notes and series breaks as staff left them.
SELECT id, period, year, period_kind, kind, measure, label_fi, label_sv, label_en
FROM period_note
ORDER BY year, period_kind, id;
