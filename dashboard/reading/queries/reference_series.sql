-- Official series shown beside the network's figures, with sources and why they differ (and, in
-- versions published since staff edit them, who checked each against its source and when).
SELECT *
FROM reference_series
ORDER BY series;
