"""The LLM judge: the messages it sends, the verdicts it reads (and the malformed ones it
records instead of raising), its score, and its agreement with the exact checks. The model
is a plain async function: that is the boundary, not our code."""

from __future__ import annotations

import json

import pytest

from evals.answers.judge import (
    JUDGE_PROMPT_VERSION,
    cohens_kappa,
    judge_agreement,
    judge_turn,
)
from evals.answers.metrics import score_turn
from evals.answers.records import ExpectedFact, FactKind, TurnResult
from tests.support.answer_catalogue import (
    EMAIL,
    LINEN,
    PARFUM,
    SKILLET,
    demo_catalogue,
    result,
    turn,
)

CATALOGUE = demo_catalogue()
ANSWER = "The Nordkap Cast Iron Skillet is $142.99 and in stock."


class Model:
    """Answers every request with `reply` and keeps the messages it was sent."""

    def __init__(self, reply: str) -> None:
        self.reply = reply
        self.asked: list[list[dict[str, str]]] = []

    async def __call__(self, messages: list[dict[str, str]]) -> str:
        self.asked.append(messages)
        return self.reply


async def test_the_judge_is_shown_the_facts_expectations_and_reply() -> None:
    model = Model('{"grounded": 1, "helpful": 5, "refused": 0, "reason": "exact"}')
    facts = [ExpectedFact(FactKind.PRICE, SKILLET, "142.99")]
    asked = turn("How much is the skillet?", page=LINEN, facts=facts, language="en")
    reply = ANSWER + " The Zürich Eau de Parfum is sold out."
    await judge_turn(model, asked, result(reply, cards=[SKILLET]), CATALOGUE)
    (messages,) = model.asked
    assert [m["role"] for m in messages] == ["system", "user"]
    assert '"grounded": 0 or 1' in messages[0]["content"]
    shown = json.loads(messages[1]["content"])
    assert shown["reply"] == reply and shown["message"] == "How much is the skillet?"
    # The cards, the page product, then the products the reply names.
    assert [p["id"] for p in shown["products"]] == [SKILLET, LINEN, PARFUM]
    assert shown["products"][0]["price"] == "142.99"
    assert shown["products"][1]["variants"][2] == {
        "options": {"Colour": "Sky Blue", "Size": "XL"},
        "price": "31.00",
        "stock": "in_stock",
    }
    assert shown["expected"]["facts"] == [{"kind": "price", "product": SKILLET, "value": "142.99"}]
    assert shown["support_email"] == EMAIL


VERDICTS = [
    # (model reply, grounded, helpful, refused, score)
    ('{"grounded": 1, "helpful": 5, "refused": 0, "reason": "ok"}', 1, 5, 0, 1.0),
    (
        '```json\n{"grounded": 1, "helpful": 3, "refused": 0, "reason": "partial"}\n```',
        1,
        3,
        0,
        0.5,
    ),
    (
        'Verdict: {"grounded": true, "helpful": "4", "refused": "0", "reason": "x"} done',
        1,
        4,
        0,
        0.75,
    ),
    ('{"grounded": 0, "helpful": 5, "refused": 0, "reason": "wrong price"}', 0, 5, 0, 0.0),
    ('{"grounded": 1, "helpful": 1, "refused": 1, "reason": "refused"}', 1, 1, 1, 0.0),
    ('{"grounded": 1, "helpful": 5, "refused": 0, "reason": "says {price} right"}', 1, 5, 0, 1.0),
]


@pytest.mark.parametrize(("reply", "grounded", "helpful", "refused", "score"), VERDICTS)
async def test_verdicts_are_read_and_scored(
    reply: str, grounded: int, helpful: int, refused: int, score: float
) -> None:
    verdict = await judge_turn(Model(reply), turn(), result(ANSWER), CATALOGUE)
    assert verdict["prompt_version"] == JUDGE_PROMPT_VERSION
    assert (verdict["grounded"], verdict["helpful"], verdict["refused"]) == (
        grounded,
        helpful,
        refused,
    )
    assert verdict["score"] == score
    judged = result(ANSWER, judge=verdict)
    assert score_turn(turn(), judged, CATALOGUE)["judge"] == score


MALFORMED = [
    "I think it is fine.",
    '{"grounded": 1, "helpful": 7, "refused": 0, "reason": "too helpful"}',
    '{"grounded": 2, "helpful": 3, "refused": 0, "reason": "?"}',
    '{"grounded": 1, "helpful": 3.5, "refused": 0, "reason": "?"}',
    '{"grounded": 1, "helpful": 3}',
    '["grounded", 1]',
    "{grounded: 1, helpful: 4}",
]


@pytest.mark.parametrize("reply", MALFORMED)
async def test_a_malformed_reply_is_an_error_not_a_crash(reply: str) -> None:
    verdict = await judge_turn(Model(reply), turn(), result(ANSWER), CATALOGUE)
    assert verdict["prompt_version"] == JUDGE_PROMPT_VERSION
    assert verdict["error"] and verdict["raw"] == reply
    assert "judge" not in score_turn(turn(), result(ANSWER, judge=verdict), CATALOGUE)


async def test_a_failed_model_call_is_an_error_not_a_crash() -> None:
    async def unreachable(messages: list[dict[str, str]]) -> str:
        raise TimeoutError("the judge model did not answer in 30 s")

    verdict = await judge_turn(unreachable, turn(), result(ANSWER), CATALOGUE)
    assert (
        verdict["error"]
        == "judge call failed: TimeoutError: the judge model did not answer in 30 s"
    )


KAPPAS = [
    # (pairs, kappa): worked by hand from (observed - chance) / (1 - chance)
    ([(1, 1), (0, 0), (1, 1), (0, 0)], 1.0),
    ([(1, 0), (0, 1), (1, 0), (0, 1)], -1.0),
    # observed 0.5; both say yes half the time -> chance 0.5 -> kappa 0.
    ([(1, 1), (1, 0), (0, 1), (0, 0)], 0.0),
    # 20 items: a=yes on 10, b=yes on 12, agree on 8 yes + 6 no = 0.7 observed;
    # chance = 0.5*0.6 + 0.5*0.4 = 0.5 -> kappa 0.4.
    ([(1, 1)] * 8 + [(1, 0)] * 2 + [(0, 1)] * 4 + [(0, 0)] * 6, 0.4),
    # Both always yes: no chance to disagree, full agreement.
    ([(1, 1)] * 5, 1.0),
    ([], 0.0),
]


@pytest.mark.parametrize(("pairs", "kappa"), KAPPAS)
def test_cohens_kappa(pairs: list[tuple[int, int]], kappa: float) -> None:
    assert cohens_kappa(pairs) == pytest.approx(kappa)


def _judged(
    answer: str, cards: list[str], exact: float | None, judge: dict[str, object]
) -> TurnResult:
    scores = {} if exact is None else {"grounded": exact}
    return result(answer, cards=cards, scores=scores, judge=judge)


def test_judge_agreement_with_the_exact_checks() -> None:
    refusal = "Sorry, I can't help with that."
    verdict = {"helpful": 4, "reason": "", "score": 0.75}
    results = [
        _judged(ANSWER, [SKILLET], 1.0, {**verdict, "grounded": 1, "refused": 0}),
        _judged(ANSWER, [SKILLET], 0.0, {**verdict, "grounded": 1, "refused": 0}),
        _judged(ANSWER, [SKILLET], 0.0, {**verdict, "grounded": 0, "refused": 0}),
        _judged(ANSWER, [SKILLET], 1.0, {**verdict, "grounded": 1, "refused": 1}),
        # No exact grounded score: counts for refusals only.
        _judged(refusal, [], None, {**verdict, "grounded": 1, "refused": 1}),
        # An errored verdict and a turn with no judge count for nothing.
        _judged(ANSWER, [SKILLET], 1.0, {"error": "no JSON object", "raw": "?"}),
        result(ANSWER, scores={"grounded": 1.0}),
    ]
    agreement = judge_agreement(results)
    # grounded pairs (judge, exact): (1,1) (1,0) (0,0) (1,1): observed 0.75, judge yes 0.75,
    # exact yes 0.5 -> chance 0.5 -> kappa 0.5.
    assert agreement["grounded"] == {"with": "grounded", "rate": 0.75, "kappa": 0.5, "n": 4}
    # refused pairs (judge, detected): (0,0) (0,0) (0,0) (1,0) (1,1): observed 0.8;
    # judge yes 0.4, detected yes 0.2 -> chance 0.08 + 0.48 = 0.56 -> kappa 0.24/0.44.
    refused = agreement["refused"]
    assert (refused["with"], refused["rate"], refused["n"]) == ("refusal_detection", 0.8, 5)
    assert refused["kappa"] == pytest.approx(0.24 / 0.44, abs=1e-4)
