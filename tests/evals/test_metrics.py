"""Ranking metrics against values worked out by hand."""

from __future__ import annotations

import math

import pytest

from evals.metrics import (
    Estimate,
    bootstrap_means,
    expected_random,
    hit_at,
    ndcg_at,
    paired_delta,
    random_baseline,
    recall_at,
    reciprocal_rank,
    summarise,
)

# Three items: first relevant at rank 1; at rank 3 (a second relevant one at 7); never returned.
ITEMS = [(1,), (3, 7), (None,)]


def test_hit_at_k() -> None:
    assert [hit_at(r, 1) for r in ITEMS] == [1.0, 0.0, 0.0]
    assert [hit_at(r, 5) for r in ITEMS] == [1.0, 1.0, 0.0]


def test_reciprocal_rank_uses_the_first_relevant_piece() -> None:
    assert [reciprocal_rank(r) for r in ITEMS] == [1.0, pytest.approx(1 / 3), 0.0]
    assert reciprocal_rank((7, 3)) == pytest.approx(1 / 3)  # order of the tuple is irrelevant
    assert reciprocal_rank((12,), cutoff=10) == 0.0


def test_recall_counts_the_share_of_relevant_pieces() -> None:
    assert recall_at((3, 7), 5) == 0.5
    assert recall_at((3, 7), 10) == 1.0
    assert recall_at((None,), 5) == 0.0


def test_ndcg_binary_gain() -> None:
    # One relevant piece at rank 3: (1/log2 4) / (1/log2 2) = 0.5
    assert ndcg_at((3,), 5) == pytest.approx(0.5)
    # Two relevant at 1 and 3: (1 + 1/2) / (1 + 1/log2 3)
    assert ndcg_at((1, 3), 5) == pytest.approx(1.5 / (1 + 1 / math.log2(3)))
    assert ndcg_at((1, 2), 5) == pytest.approx(1.0)
    assert ndcg_at((6,), 5) == 0.0


def test_summary_means() -> None:
    summary = summarise(ITEMS, resamples=200)
    assert summary["hit@1"].value == pytest.approx(1 / 3)
    assert summary["hit@5"].value == pytest.approx(2 / 3)
    assert summary["mrr"].value == pytest.approx((1 + 1 / 3 + 0) / 3)
    assert summary["recall@5"].value == pytest.approx((1 + 0.5 + 0) / 3)


def test_bootstrap_interval_brackets_the_mean_and_is_reproducible() -> None:
    values = [1.0] * 60 + [0.0] * 40
    first = bootstrap_means({"x": values}, resamples=500, seed=3)["x"]
    again = bootstrap_means({"x": values}, resamples=500, seed=3)["x"]
    assert first == again
    assert first.value == pytest.approx(0.6)
    assert 0.48 < first.low < 0.6 < first.high < 0.72  # ±1.96·sqrt(.24/100) ≈ ±0.096
    constant = bootstrap_means({"x": [0.5] * 10}, resamples=50)["x"]
    assert constant == Estimate(0.5, 0.5, 0.5)


def test_paired_delta_sees_a_consistent_small_gain() -> None:
    before = [0.5] * 50 + [0.0] * 50
    after = [0.6] * 50 + [0.1] * 50  # +0.1 on every item: the paired interval is exact
    delta = paired_delta(after, before, resamples=200)
    assert delta.value == pytest.approx(0.1)
    assert delta.low == pytest.approx(0.1) and delta.high == pytest.approx(0.1)
    with pytest.raises(ValueError):
        paired_delta([1.0], [1.0, 0.0])


def test_expected_random_ranking() -> None:
    # 4 pieces, 1 relevant: uniform over ranks 1..4.
    floor = expected_random(4, 1)
    assert floor["hit@1"] == pytest.approx(0.25)
    assert floor["hit@5"] == pytest.approx(1.0)  # every piece is in the top 5
    assert floor["mrr"] == pytest.approx((1 + 1 / 2 + 1 / 3 + 1 / 4) / 4)
    # 10 pieces, 2 relevant: P(none of 2 in top 5) = C(8,5)/C(10,5) = 56/252
    floor = expected_random(10, 2)
    assert floor["hit@5"] == pytest.approx(1 - 56 / 252)
    assert floor["hit@1"] == pytest.approx(0.2)
    # E[1/first] = Σ_i (1/i)·C(10-i, 1)/C(10, 2)
    assert floor["mrr"] == pytest.approx(sum((10 - i) / 45 / i for i in range(1, 10)))
    assert random_baseline([(4, 1), (4, 1)])["hit@1"] == pytest.approx(0.25)
