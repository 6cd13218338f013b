"""Token-F1 (SQuAD-style) and ROUGE-L against reference answers, and the best of several
references per turn."""

from __future__ import annotations

import pytest

from evals.answers.metrics import score_turn
from evals.answers.metrics.overlap import rouge_l, token_f1
from tests.support.answer_catalogue import demo_catalogue, result, turn

CATALOGUE = demo_catalogue()


def test_token_f1_is_squad_style() -> None:
    # After normalisation: [nordkap, skillet, costs, 142, 99] vs [skillet, costs, 142, 99].
    assert token_f1("The Nordkap skillet costs $142.99!", "A skillet: costs 142.99") == (
        pytest.approx(2 * 0.8 * 1.0 / 1.8)
    )
    assert token_f1("skillet skillet", "skillet") == pytest.approx(2 * 0.5 * 1 / 1.5)
    assert token_f1("", "") == 1.0 and token_f1("yes", "") == 0.0


def test_rouge_l_counts_order_where_token_f1_does_not() -> None:
    reference = "in stock at 142.99"
    shuffled = "142.99 at stock in"
    assert token_f1(shuffled, reference) == 1.0
    # LCS of [142, 99, at, stock, in] and [in, stock, at, 142, 99] is 2 ("142 99").
    assert rouge_l(shuffled, reference) == pytest.approx(2 / 5)
    assert rouge_l(reference, reference) == 1.0


def test_overlap_takes_the_best_reference() -> None:
    answer = "Yes: the Nordkap Cast Iron Skillet costs $142.99."
    scores = score_turn(turn(references=["No.", answer]), result(answer), CATALOGUE)
    assert (scores["token_f1"], scores["rouge_l"]) == (1.0, 1.0)
