-- The threshold the snapshot's protected tables were made with (no rows: an older snapshot).
SELECT threshold, engine FROM disclosure_meta;
