-- Every value of every official reference series of a version (the Notes and sources page compares them).
SELECT series, period, value::BIGINT AS value
FROM reference_value
ORDER BY series, period;
