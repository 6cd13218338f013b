"""`python -m bench.analytics` at a tiny scale (2 days x 20 conversations), so the bench
cannot rot: it loads (triggers off, rollups rebuilt, questions clustered), times every call
of the dashboard's analytics page through the merchant API and, where one exists, its
raw-SQL baseline, runs the product's purge with retention 1 day while chatting, and prints
its tables.

In a subprocess: the bench starts (and stops) an embedded PostgreSQL of its own and sets
its own process environment (secrets, no Redis), neither of which may touch this session's."""

from __future__ import annotations

import re

from tests.support.bench_run import run_bench

TINY = ["--days", "2", "--per-day", "20", "--products", "40", "--reps", "2", "--warmups", "1"]
TINY += ["--windows", "7", "--retention-days", "1", "--quiet-chat", "0.5", "--chat-questions", "3"]


def _run() -> str:
    return run_bench("bench.analytics", TINY, timeout=120, columns=160)


def test_the_analytics_bench_runs_end_to_end_at_a_tiny_scale() -> None:
    out = _run()
    # The load: 2 days x 20 conversations for the store, a twentieth (1 a day) for the other.
    assert re.search(r"Bench Alps\s*│ conversations\s*│\s*40 │", out), out
    assert re.search(r"Bench Beach\s*│ conversations\s*│\s*2 │", out), out
    # The questions were clustered with the product's rule, and the bank's families scored.
    assert re.search(
        r"wordings embedded \(minilm-l6-v2\), leader clustering at cosine >= 0\.50 per", out
    ), out
    assert re.search(r"bank families: purity \d\.\d{3} by wording", out), out
    # Every call the dashboard's analytics page makes, served, for both scopes; the raw-SQL
    # baseline's ratio for the calls that had a pre-rollup version.
    baselined = ("summary", r"timeseries \(day\)", "top-questions", "top-products")
    for call in (*baselined, r"timeseries \(hour\)", "content-gaps"):
        for scope in ("all bots", "one bot"):
            row = re.search(rf"│ {call}\s*│\s*7 │ {scope}\s*│ 2 │([^\n]*)", out)
            assert row is not None, f"{call} {scope} missing:\n{out}"
            assert "PASS" in row.group(1) or "FAIL" in row.group(1), row.group(0)
            if call in baselined:
                assert re.search(r"\d+\.\d+×", row.group(1)), row.group(0)
    # Retention: exactly what is older than a day, the other tenant untouched, and chat
    # latency measured without and during the purge.
    verdict = next(line for line in out.splitlines() if "exactly the older rows" in line)
    assert "PASS" in verdict, out
    assert "product purge (purge_tenant, pace 1)" in out, out
    assert "without a purge (baseline)" in out and "during the purge" in out
