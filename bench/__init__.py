"""Benchmarks: `make bench` runs every bench/bench_*.py and rewrites docs/benchmarks.md."""
