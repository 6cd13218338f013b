"""The LLM judge: a model grades one reply against the catalogue facts it was shown.

`judge_turn` asks `complete` (the model boundary: messages in, the reply text out) with the
versioned prompt judge_prompt_v1.txt as the system message and one JSON user message: the
shopper's message, the catalogue facts of the reply's cards, of the page product and of the
products the reply names, the turn's expectations and the reply. The model must answer
with strict JSON {"grounded": 0|1, "helpful": 1..5, "refused": 0|1, "reason": str}; the
first JSON object in its reply is read (code fences and chatter around it are tolerated).
A reply that is not that shape, or a model call that fails, is recorded as
{"error": ..., "raw": ...}, never raised: one bad verdict must not stop a suite.

The verdict's 0..1 score (scores["judge"]) is (helpful - 1) / 4 * grounded: an ungrounded
reply scores 0 however helpful it sounds.

`judge_agreement` reports how far the judge can be trusted: its agreement rate and Cohen's
kappa with the exact checks, grounded vs the `grounded` score and refused vs the refusal
detection (evals.answers.metrics.behaviour), over the turns having both.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import Any

from evals.answers.metrics.behaviour import is_refusal
from evals.answers.metrics.text import talked_about
from evals.answers.records import Catalogue, CatalogueProduct, Turn, TurnResult

JUDGE_PROMPT_VERSION = "v1"
JUDGE_PROMPT = (Path(__file__).parent / f"judge_prompt_{JUDGE_PROMPT_VERSION}.txt").read_text()
Complete = Callable[[list[dict[str, str]]], Awaitable[str]]
_RAW_KEPT = 500


def _product_facts(product: CatalogueProduct) -> dict[str, Any]:
    return {
        "id": product.external_id,
        "title": product.title,
        "price": product.price,
        "regular_price": product.regular_price,
        "stock": product.stock,
        "attributes": product.attributes,
        "variants": [
            {"options": v.options, "price": v.price, "stock": v.stock} for v in product.variants
        ],
    }


def judge_messages(turn: Turn, result: TurnResult, catalogue: Catalogue) -> list[dict[str, str]]:
    page = [turn.page_product] if turn.page_product else []
    # The products the reply names count too: a fact about them is checked against the
    # catalogue like any other (the exact `grounded` check does the same).
    shown = list(dict.fromkeys([*result.cards, *page, *talked_about(result.answer, catalogue)]))
    expect = turn.expect
    facts = {
        "message": turn.message,
        "currency": catalogue.currency,
        "page_product": turn.page_product,
        "products": [
            _product_facts(catalogue.products[p]) for p in shown if p in catalogue.products
        ],
        "support_email": catalogue.support_email,
        "expected": {
            "refuse": expect.refuse,
            "handoff": expect.handoff,
            "language": expect.language,
            "facts": [
                {"kind": str(f.kind), "product": f.product, "value": f.value} for f in expect.facts
            ],
            "references": expect.references,
        },
        "reply": result.answer,
    }
    return [
        {"role": "system", "content": JUDGE_PROMPT},
        {"role": "user", "content": json.dumps(facts, ensure_ascii=False, indent=1)},
    ]


def _flag(value: Any) -> int | None:
    """0 or 1 from 0/1, true/false or "0"/"1"; None for anything else."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int | str) and str(value).strip() in ("0", "1"):
        return int(str(value).strip())
    return None


def _first_object(reply: str) -> dict[str, Any]:
    """The first JSON object in the reply, wherever it starts (a decoder, not a regex: a
    reason may hold braces)."""
    decoder = json.JSONDecoder()
    for start in (i for i, c in enumerate(reply) if c == "{"):
        try:
            raw, _end = decoder.raw_decode(reply, start)
        except json.JSONDecodeError:
            continue
        if isinstance(raw, dict):
            return raw
    raise ValueError("no JSON object in the judge's reply")


def parse_verdict(reply: str) -> dict[str, Any]:
    """The verdict in `reply`, with its score; raises ValueError when it is not one."""
    raw = _first_object(reply)
    grounded, refused = _flag(raw.get("grounded")), _flag(raw.get("refused"))
    helpful = raw.get("helpful")
    if isinstance(helpful, str) and helpful.strip().isdigit():
        helpful = int(helpful.strip())
    if grounded is None or refused is None:
        raise ValueError("grounded and refused must be 0 or 1")
    if isinstance(helpful, bool) or not isinstance(helpful, int) or not 1 <= helpful <= 5:
        raise ValueError("helpful must be an integer from 1 to 5")
    return {
        "grounded": grounded,
        "helpful": helpful,
        "refused": refused,
        "reason": str(raw.get("reason", "")),
        "score": (helpful - 1) / 4 * grounded,
    }


async def judge_turn(
    complete: Complete, turn: Turn, result: TurnResult, catalogue: Catalogue
) -> dict[str, Any]:
    """The judge's verdict on one reply (see the module docstring); never raises for a
    bad reply or a failed call."""
    verdict: dict[str, Any] = {"prompt_version": JUDGE_PROMPT_VERSION}
    try:
        reply = await complete(judge_messages(turn, result, catalogue))
    except Exception as failure:  # the model boundary: a timeout or HTTP error is a verdict
        return {**verdict, "error": f"judge call failed: {type(failure).__name__}: {failure}"}
    try:
        return {**verdict, **parse_verdict(reply)}
    except ValueError as malformed:
        return {**verdict, "error": str(malformed), "raw": reply[:_RAW_KEPT]}


def cohens_kappa(pairs: Sequence[tuple[int, int]]) -> float:
    """Cohen's kappa of two raters' 0/1 labels: (observed - chance) / (1 - chance). When
    chance agreement is total (both raters always said the same single label), kappa is
    1.0 if they agree and 0.0 otherwise."""
    if not pairs:
        return 0.0
    n = len(pairs)
    observed = sum(1 for a, b in pairs if a == b) / n
    first_yes = sum(a for a, _ in pairs) / n
    second_yes = sum(b for _, b in pairs) / n
    chance = first_yes * second_yes + (1 - first_yes) * (1 - second_yes)
    if chance >= 1.0:
        return 1.0 if observed == 1.0 else 0.0
    return (observed - chance) / (1 - chance)


def _agreement(with_: str, pairs: list[tuple[int, int]]) -> dict[str, Any]:
    rate = sum(1 for a, b in pairs if a == b) / len(pairs) if pairs else 0.0
    return {
        "with": with_,
        "rate": round(rate, 4),
        "kappa": round(cohens_kappa(pairs), 4),
        "n": len(pairs),
    }


def judge_agreement(results: Sequence[TurnResult]) -> dict[str, Any]:
    """{"grounded": {...}, "refused": {...}}, each {"with", "rate", "kappa", "n"}; the
    "grounded" one is results.json's judge.agreement."""
    judged = [r for r in results if r.judge is not None and "error" not in r.judge]
    grounded = [
        (int(r.judge["grounded"]), int(r.scores["grounded"]))
        for r in judged
        if r.judge is not None and "grounded" in r.scores
    ]
    refused = [
        (int(r.judge["refused"]), int(is_refusal(r.answer, r.cards)))
        for r in judged
        if r.judge is not None
    ]
    return {
        "grounded": _agreement("grounded", grounded),
        "refused": _agreement("refusal_detection", refused),
    }
