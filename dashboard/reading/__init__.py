"""Reading: the gate (the only way to figures), the cached protected tables, the snapshot's SQL and labels."""
