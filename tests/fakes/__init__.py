"""Fakes for tests and benchmarks: servers on 127.0.0.1 and throw-away databases."""
