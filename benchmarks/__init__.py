"""Benchmarks (`make bench`, `make bench-search`) and the synthetic data they and the tests use.

Not part of the installed package: run from the repository root (`python -m benchmarks.bench`).
"""
