"""score_turn: every per-turn metric of the answer evals that applies to a turn.

Each scorer's rule and blind spots are in its own module's docstring; a metric that has
nothing to judge on a turn is left out (not 0), so a mean is over the turns it applies to.
"""

from __future__ import annotations

from evals.answers.metrics.behaviour import behaviour_scores
from evals.answers.metrics.citations import citation_scores
from evals.answers.metrics.grounded import facts_quoted_score, grounded_score
from evals.answers.metrics.language import language_match
from evals.answers.metrics.overlap import overlap_scores
from evals.answers.metrics.retrieval import evidence_in_answer, retrieval_scores
from evals.answers.records import Catalogue, Turn, TurnResult

# The report's order; every name score_turn can produce.
METRIC_NAMES = (
    "hit@1",
    "hit@5",
    "mrr",
    "ndcg@5",
    "evidence_in_prompt",
    "evidence_in_answer",
    "grounded",
    "facts_quoted",
    "citation_precision",
    "citation_recall",
    "forbidden_absent",
    "refusal_correct",
    "handoff_correct",
    "language_match",
    "token_f1",
    "rouge_l",
    "judge",
)
# Statuses of a turn the shopper got an answer for; any other ("error": the model's stream
# broke, "http_<code>": the API refused or failed) delivered no answer to judge.
ANSWERED_STATUSES = frozenset({"ok", "no_answer"})
# What retrieval did is still measured on a failed turn; everything about the answer is 0.
_RETRIEVAL_METRICS = frozenset({"hit@1", "hit@5", "mrr", "ndcg@5", "evidence_in_prompt"})

# The key of a judge verdict (evals.answers.judge) holding its 0..1 score.
JUDGE_SCORE_KEY = "score"


def score_turn(turn: Turn, result: TurnResult, catalogue: Catalogue) -> dict[str, float]:
    expect = turn.expect
    scores = retrieval_scores(expect, result)
    passed_on = evidence_in_answer(expect, result.answer)
    if passed_on is not None:
        scores["evidence_in_answer"] = passed_on
    grounded = grounded_score(result.answer, catalogue, turn.page_product, result.cards)
    if grounded is not None:
        scores["grounded"] = grounded
    quoted = facts_quoted_score(
        result.answer, expect.facts, catalogue, turn.page_product, result.cards
    )
    if quoted is not None:
        scores["facts_quoted"] = quoted
    scores.update(citation_scores(expect, result, catalogue))
    scores.update(
        behaviour_scores(
            expect.refuse, expect.handoff, result.answer, result.cards, catalogue.support_email
        )
    )
    if expect.language is not None:
        scores["language_match"] = language_match(result.answer, expect.language, catalogue)
    scores.update(overlap_scores(result.answer, expect.references))
    verdict = result.judge or {}
    if isinstance(verdict.get(JUDGE_SCORE_KEY), int | float):
        scores["judge"] = float(verdict[JUDGE_SCORE_KEY])
    if result.status not in ANSWERED_STATUSES:
        # An empty reply would otherwise pass as a correct non-refusal, no hand-off, nothing
        # forbidden shown: an app failing every turn must not keep those metrics perfect.
        return {
            name: value if name in _RETRIEVAL_METRICS else 0.0 for name, value in scores.items()
        }
    return scores
