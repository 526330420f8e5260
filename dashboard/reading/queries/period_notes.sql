-- Series breaks and other notes, with the year they start.
SELECT n.id, p.year, n.kind, n.measure, n.label_fi, n.label_sv, n.label_en
FROM period_note AS n
JOIN period AS p ON p.code = n.period
ORDER BY p.year, n.id;
