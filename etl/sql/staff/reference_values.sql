-- The yearly values of every official reference series as staff left them.
SELECT series, period, value
FROM reference_value
ORDER BY series, period;
