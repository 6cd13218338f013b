"""`python -m bench.unit_of_work` at a tiny scale, so the bench cannot rot: every way of
beginning a unit of work runs at both concurrencies and is reported with its ratio to the
baseline (each unit checks it read its tenant's bot).

In a subprocess: the bench starts (and stops) an embedded PostgreSQL of its own."""

from __future__ import annotations

import re

from tests.support.bench_run import run_bench


def test_the_unit_of_work_bench_runs_at_a_tiny_scale() -> None:
    out = run_bench("bench.unit_of_work", ["--rounds", "2", "--per-round", "5"], timeout=120)
    number = r"\d+\.\d{3}"
    ways = (r"implicit BEGIN \(baseline\)", "BEGIN with the setting", "one-trip read")
    for way in (*ways, r"\.\.\. switched per checkout"):
        for concurrency in (1, 8):
            row = rf"{way}\s+{concurrency}\s+10\s+{number}\s+{number}\s+{number}\s+\d+\.\d\d"
            assert re.search(row, out), out
    assert re.search(r"implicit BEGIN \(baseline\)\s+1\s+10(\s+\S+){3}\s+1\.00", out), out
