"""A turn that failed (the model's stream broke, the API refused or failed) is scored on what
retrieval did, and 0 on everything about the answer it never delivered."""

from __future__ import annotations

from typing import Any

import pytest

from evals.answers.metrics import score_turn
from evals.answers.records import RetrievedItem
from tests.support.answer_catalogue import SHOE, SKILLET, demo_catalogue, result, turn

CATALOGUE = demo_catalogue()
SKILLET_FIRST = [RetrievedItem("product", SKILLET, 1.0, "chunk")]


@pytest.mark.parametrize("status", ["error", "http_500", "http_422"])
def test_a_failed_turn_scores_nothing_for_its_answer(status: str) -> None:
    """An empty reply would pass as a correct non-refusal, no hand-off and nothing forbidden
    shown; a turn that failed gets 0 for everything about its answer, and keeps what
    retrieval did."""
    expect: dict[str, Any] = {"products_must": [SKILLET], "products_must_not": [SHOE]}
    expect |= {"refuse": False, "handoff": False, "language": "en"}
    ok = score_turn(
        turn(**expect),
        result(retrieved=SKILLET_FIRST),
        CATALOGUE,
    )
    assert ok["refusal_correct"] == ok["handoff_correct"] == ok["forbidden_absent"] == 1.0
    failed = score_turn(
        turn(**expect),
        result(retrieved=SKILLET_FIRST, status=status),
        CATALOGUE,
    )
    assert failed["hit@1"] == 1.0
    about_the_answer = {
        name: value for name, value in failed.items() if not name.startswith(("hit", "mrr", "ndcg"))
    }
    assert set(about_the_answer.values()) == {0.0}
    assert {"refusal_correct", "handoff_correct", "forbidden_absent", "language_match"} <= set(
        failed
    )
