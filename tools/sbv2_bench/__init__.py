"""Benchmarks of the studio's pipeline (latency, RTF, memory, streaming), kept outside the shipped package.

They need models generated with the reference architecture (tools/make_bench_models.py, torch), so they run
from a source checkout: ``python -m sbv2_bench.bench`` with ``tools/`` on the path, or ``sbv2-studio bench``.
"""
