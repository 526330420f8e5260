-- Series breaks: the period they start in, for one measure or (measure NULL) for all.
SELECT n.measure, p.year, p.kind FROM period_note AS n JOIN period AS p ON p.code = n.period
WHERE n.kind = 'break' ORDER BY ALL;
