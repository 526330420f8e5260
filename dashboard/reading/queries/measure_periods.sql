-- The periods a measure has published figures for.
SELECT DISTINCT year, kind FROM published_cell WHERE measure = $measure AND subset = 'all' ORDER BY ALL;
