"""Benchmarks printing same-run ratios; see docs/benchmarks.md."""
