"""Starts and stops Passerelle's servers: used by `make run`, the tests and the benchmarks."""
