"""The synthetic demo data, its public accounts, and the datasets the benchmarks grow from it."""
