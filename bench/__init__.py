"""Benchmarks and load tests of the portal (`make bench`; each module also runs alone)."""
