"""Summaries of per-turn answer scores: bootstrap means per tag, run aggregates (latency,
tokens) and the comparison of a run against a baseline."""

from __future__ import annotations

import dataclasses
import random
from typing import Any

import pytest

from evals.answers.metrics import compare, metrics_json, run_aggregates, summarise
from evals.answers.metrics.aggregates import HISTOGRAM_EDGES_MS
from evals.answers.metrics.compare import shared_turns
from evals.answers.records import TurnResult
from evals.metrics import bootstrap_means
from tests.support.answer_catalogue import result


def _scored(index: int, scores: dict[str, float], tags: list[str], **more: Any) -> TurnResult:
    return result(
        f"answer {index}",
        conversation=f"c-{index // 3}",
        index=index % 3,
        tags=tags,
        scores=scores,
        **more,
    )


def _results() -> list[TurnResult]:
    rows = []
    for i in range(30):
        tags = ["search"] if i % 2 == 0 else ["variant", "follow_up"]
        scores = {"grounded": 1.0 if i % 5 else 0.0, "mrr": 1 / (1 + i % 4)}
        if i % 3 == 0:
            scores["language_match"] = 1.0
        rows.append(_scored(i, scores, tags))
    return rows


def test_summarise_means_each_metric_over_the_turns_it_applies_to() -> None:
    results = _results()
    reports = summarise(results)
    assert list(reports) == ["mrr", "grounded", "language_match"]  # the report's order
    language = reports["language_match"]
    assert (language.overall.n, language.overall.estimate.value) == (10, 1.0)
    assert language.by_tag["search"].n == 5 and language.by_tag["variant"].n == 5
    grounded = reports["grounded"]
    assert grounded.overall.n == 30 and grounded.overall.estimate.value == pytest.approx(24 / 30)
    assert set(grounded.by_tag) == {"search", "variant", "follow_up"}
    assert grounded.by_tag["variant"].n == 15


def test_summarise_is_the_seeded_bootstrap_and_reproducible() -> None:
    results = _results()
    first, second = summarise(results), summarise(results)
    assert first == second
    values = [r.scores["grounded"] for r in results]
    assert first["grounded"].overall.estimate == bootstrap_means({"x": values}, seed=0)["x"]
    estimate = first["grounded"].overall.estimate
    assert estimate.low < estimate.value < estimate.high


def test_metrics_json_is_the_results_json_shape() -> None:
    block = metrics_json(summarise(_results()))
    grounded = block["grounded"]
    assert set(grounded) == {"overall", "by_tag"}
    assert set(grounded["overall"]) == {"value", "low", "high", "n"}
    assert grounded["overall"]["n"] == 30 and grounded["by_tag"]["search"]["n"] == 15
    assert grounded["overall"]["value"] == 0.8


def test_run_aggregates_latency_percentiles_are_nearest_rank() -> None:
    latencies = [float(ms) for ms in range(10, 210, 10)]  # 10, 20, ..., 200 ms
    random.Random(1).shuffle(latencies)
    results = [_scored(i, {}, ["search"], latency_ms=ms) for i, ms in enumerate(latencies)]
    latency = run_aggregates(results)["latency"]
    # 20 turns: p50 is the 10th smallest, p95 the 19th.
    assert (latency["p50_ms"], latency["p95_ms"]) == (100.0, 190.0)
    histogram = latency["histogram"]
    assert histogram["edges_ms"] == list(HISTOGRAM_EDGES_MS)
    assert len(histogram["counts"]) == len(HISTOGRAM_EDGES_MS) - 1
    # [10,20): 10 | [20,40): 20,30 | [40,80): 40..70 | [80,160): 80..150 | [160,320): 160..200
    assert histogram["counts"][:5] == [1, 2, 4, 8, 5] and sum(histogram["counts"]) == 20


def test_run_aggregates_clamp_outliers_into_the_end_bars() -> None:
    results = [_scored(i, {}, ["search"], latency_ms=ms) for i, ms in enumerate([2.0, 500_000.0])]
    counts = run_aggregates(results)["latency"]["histogram"]["counts"]
    assert counts[0] == 1 and counts[-1] == 1


def test_run_aggregates_tokens_and_cost() -> None:
    offline = [_scored(i, {}, ["search"], completion_tokens=12) for i in range(3)]
    assert run_aggregates(offline)["tokens"] == {"prompt": 0, "completion": 36, "cost_usd": None}
    priced = [
        _scored(0, {}, ["search"], prompt_tokens=900, completion_tokens=40, cost_usd=0.0021),
        _scored(1, {}, ["search"], prompt_tokens=800, completion_tokens=60, cost_usd=0.0019),
        _scored(2, {}, ["search"]),
    ]
    assert run_aggregates(priced)["tokens"] == {
        "prompt": 1700,
        "completion": 100,
        "cost_usd": 0.004,
    }


# -- compare --------------------------------------------------------------------------------


def _run(results: list[TurnResult]) -> dict[str, Any]:
    return {
        "schema": "shopbot.eval.answers/1",
        "suite": {"name": "shopper"},
        "started_at": "2026-12-06T04:00:00Z",
        "config_hash": "abc123",
        "turns": [dataclasses.asdict(r) for r in results],
    }


def _suite_scores(flip: dict[int, float]) -> list[TurnResult]:
    """120 turns, 40 of them tagged variant; grounded 1 on all but every tenth, with the
    turns in `flip` given another score."""
    rows = []
    for i in range(120):
        tags = ["variant"] if i % 3 == 0 else ["search"]
        value = flip.get(i, 0.0 if i % 10 == 0 else 1.0)
        rows.append(_scored(i, {"grounded": value, "token_f1": 0.5}, tags))
    return rows


def test_compare_flags_a_real_drop_on_the_tag_that_fell() -> None:
    baseline = _run(_suite_scores({}))
    # Half of the variant turns (every sixth turn) lose their grounding; 4 of those 20 (the
    # multiples of 30) were ungrounded already, so 16 of 40 fall: a drop the turns agree on.
    fallen = {i: 0.0 for i in range(0, 120, 3) if i % 2 == 0}
    current = _run(_suite_scores(fallen))
    comparison = compare(baseline, current, tolerance=0.05)
    assert comparison["regressed"] is True
    assert comparison["baseline"] == "shopper 2026-12-06T04:00:00Z config abc123"
    rows = {(row["metric"], row["tag"]): row for row in comparison["rows"]}
    variant = rows[("grounded", "variant")]
    assert variant["status"] == "REGRESSION" and variant["n"] == 40
    assert variant["delta"] == pytest.approx(-16 / 40) and variant["high"] < 0
    assert rows[("grounded", "search")]["status"] == "ok"
    assert rows[("grounded", None)]["status"] == "REGRESSION"
    unchanged = rows[("token_f1", None)]
    assert (unchanged["delta"], unchanged["status"]) == (0.0, "ok")


def test_compare_does_not_flag_noise() -> None:
    baseline = _run(_suite_scores({}))
    # Three turns get worse and two better: a net drop of 1/120, inside the interval.
    noise = {1: 0.0, 2: 0.0, 4: 0.0, 10: 1.0, 20: 1.0}
    comparison = compare(baseline, _run(_suite_scores(noise)), tolerance=0.0)
    assert comparison["regressed"] is False
    assert {row["status"] for row in comparison["rows"]} == {"ok"}


def test_compare_needs_the_drop_to_reach_the_tolerance() -> None:
    baseline = _run(_suite_scores({}))
    fallen = {i: 0.0 for i in range(1, 120, 10)}  # 12 of 120 turns: -0.1, clearly real
    assert compare(baseline, _run(_suite_scores(fallen)), tolerance=0.05)["regressed"] is True
    assert compare(baseline, _run(_suite_scores(fallen)), tolerance=0.2)["regressed"] is False


def test_compare_pairs_only_turns_both_runs_have_and_marks_improvements() -> None:
    before = _suite_scores({})
    after = _suite_scores({i: 1.0 for i in range(0, 120, 10)})  # every tenth now grounded
    # The current run lost its last 20 turns and gained one the baseline never asked.
    extra = _scored(999, {"grounded": 0.0}, ["search"])
    comparison = compare(_run(before), _run(after[:100] + [extra]), tolerance=0.05)
    overall = next(r for r in comparison["rows"] if r["metric"] == "grounded" and r["tag"] is None)
    assert overall["n"] == 100
    assert overall["status"] == "improved" and overall["current"] == 1.0
    assert comparison["regressed"] is False


def test_a_row_of_a_few_turns_is_shown_and_never_gates() -> None:
    """One turn's fall is an interval of a single point: reported as "few turns", not a
    regression; the same fall over enough turns is one."""
    before = [_scored(i, {"grounded": 1.0}, ["rare" if i < 2 else "search"]) for i in range(40)]
    after = [_scored(i, {"grounded": 0.0 if i < 2 else 1.0}, t.tags) for i, t in enumerate(before)]
    comparison = compare(_run(before), _run(after), tolerance=0.02)
    rare = next(r for r in comparison["rows"] if r["tag"] == "rare")
    assert (rare["n"], rare["delta"], rare["status"]) == (2, -1.0, "few turns")
    assert comparison["regressed"] is False
    many = [_scored(i, {"grounded": 0.0 if i < 8 else 1.0}, t.tags) for i, t in enumerate(before)]
    assert compare(_run(before), _run(many), tolerance=0.02)["regressed"] is True


def test_turns_pair_only_when_they_ask_the_same_question() -> None:
    before = [_scored(i, {"grounded": 1.0}, ["search"]) for i in range(10)]
    edited = [dataclasses.replace(t, message=f"reworded {t.index}") for t in before]
    assert shared_turns(_run(before), _run(edited)) == 0
    assert compare(_run(before), _run(edited), tolerance=0.02)["rows"] == []
