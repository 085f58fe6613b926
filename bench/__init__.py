"""Benchmarks of IVCS: each module measures one path against a baseline taken in the same run.

Machines here are shared and noisy, so no figure is compared with a fixed threshold: every benchmark
reports a ratio against a baseline measured alongside it (interleaved, same process, same database).
`python -m bench` runs them all; `python -m bench.<name>` runs one. See bench/README.md.
"""
