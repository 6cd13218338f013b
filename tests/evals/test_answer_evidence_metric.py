"""evidence_in_answer: the share of a turn's evidence the shopper's reply passed on."""

from __future__ import annotations

from evals.answers.metrics import score_turn
from tests.support.answer_catalogue import demo_catalogue, result, turn

CATALOGUE = demo_catalogue()
EVIDENCE = ["Yes, it is a standard size minifigure.", "Official Lego product."]


def test_the_share_of_evidence_quoted_in_the_answer_ignoring_case_and_spacing() -> None:
    answer = 'A reviewer says: "yes, it is a  standard size\nminifigure." Anything else?'
    prompt = [{"role": "system", "content": " ".join(EVIDENCE)}]
    scores = score_turn(turn(evidence=EVIDENCE), result(answer, prompt=prompt), CATALOGUE)
    assert scores["evidence_in_prompt"] == 1.0
    assert scores["evidence_in_answer"] == 0.5


def test_evidence_only_in_the_prompt_scores_zero_in_the_answer() -> None:
    prompt = [{"role": "system", "content": " ".join(EVIDENCE)}]
    answer = "I'm not sure about that one."
    scores = score_turn(turn(evidence=EVIDENCE), result(answer, prompt=prompt), CATALOGUE)
    assert scores["evidence_in_answer"] == 0.0


def test_absent_when_the_turn_lists_no_evidence() -> None:
    assert "evidence_in_answer" not in score_turn(turn(), result("Anything."), CATALOGUE)


def test_a_failed_turn_passed_nothing_on() -> None:
    scores = score_turn(turn(evidence=EVIDENCE), result(EVIDENCE[0], status="error"), CATALOGUE)
    assert scores["evidence_in_answer"] == 0.0
