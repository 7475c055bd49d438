"""Benchmarks (run as scripts, never as timed tests): ``python -m bench.core``."""
