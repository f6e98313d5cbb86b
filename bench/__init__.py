"""Benchmarks: `make bench` prints figures (never pass/fail on time). See ../shared/BENCHMARKS.md."""
