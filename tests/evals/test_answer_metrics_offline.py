"""The answer scorers on the offline answerer's real replies (engine.offline): what the
demo answers with must score as grounded, quote its facts, hand off and refuse as it
should. A reply with one fact altered must lose its grounding."""

from __future__ import annotations

import uuid
from decimal import Decimal

import pytest

from engine.offline.grounded_answer import compose_grounded_answer
from engine.types import BusinessProfile, Grounding, PageContext, ProductHit
from evals.answers.metrics import score_turn
from evals.answers.records import CatalogueProduct, ExpectedFact, FactKind
from tests.support.answer_catalogue import (
    DUVET,
    EMAIL,
    PARFUM,
    SHOE,
    SHOE_PRO,
    SKILLET,
    demo_catalogue,
    result,
    turn,
)

CATALOGUE = demo_catalogue()
PROFILE = BusinessProfile(
    name="Demo Outfitters",
    support_email=EMAIL,
    shipping_policy=(
        "Free standard shipping on orders over $75; otherwise $6.95. "
        "Orders ship within 2 business days."
    ),
    returns_policy="Unworn items can be returned within 30 days for a full refund.",
)
_WOO_STOCK = {"in_stock": "instock", "out_of_stock": "outofstock", "on_backorder": "onbackorder"}


def _hit(ref: str, score: float = 1.0, quantity: int | None = None) -> ProductHit:
    product: CatalogueProduct = CATALOGUE.products[ref]
    price = Decimal(product.price) if product.price else None
    regular = Decimal(product.regular_price) if product.regular_price else None
    return ProductHit(
        product_id=uuid.uuid5(uuid.NAMESPACE_URL, ref),
        external_id=ref,
        title=product.title,
        price=price,
        regular_price=regular,
        sale_price=price if regular != price else None,
        currency="USD",
        on_sale=regular != price,
        in_stock=product.stock == "in_stock",
        stock_status=_WOO_STOCK[product.stock],
        stock_quantity=quantity,
        attributes={name: tuple(options) for name, options in product.attributes.items()},
        snippets=(f"The {product.title} is built to last.",),
        score=score,
    )


def _offline(question: str, refs: list[str], page: str | None = None) -> str:
    grounding = Grounding(
        question=question,
        hits=tuple(_hit(ref, score=1.0 - i / 10, quantity=3) for i, ref in enumerate(refs)),
        page=PageContext(product_id=page) if page else None,
        profile=PROFILE,
    )
    return compose_grounded_answer(grounding)


OFFLINE_CASES = [
    # (question, hits, page, facts the reply must quote)
    (
        "How much is the Nordkap Cast Iron Skillet?",
        [SKILLET, SHOE],
        None,
        [("price", SKILLET, "142.99"), ("stock", SKILLET, "in_stock")],
    ),
    ("Is this in stock?", [PARFUM, SHOE], PARFUM, [("stock", PARFUM, "out_of_stock")]),
    ("How much is it?", [DUVET], DUVET, [("price", DUVET, "123.99")]),
    ("Does it come in other colours?", [SKILLET], SKILLET, [("variant", SKILLET, "Sage")]),
    (
        "Do you have trail running shoes?",
        [SHOE, SHOE_PRO, PARFUM],
        None,
        [("price", SHOE_PRO, "59.50")],
    ),
    ("Any running shoes under $95?", [SHOE, SHOE_PRO], None, [("price", SHOE, "93.50")]),
]


@pytest.mark.parametrize(("question", "refs", "page", "facts"), OFFLINE_CASES)
def test_offline_replies_are_grounded_and_quote_their_facts(
    question: str, refs: list[str], page: str | None, facts: list[tuple[str, str, str]]
) -> None:
    answer = _offline(question, refs, page)
    expected = [ExpectedFact(FactKind(kind), product, value) for kind, product, value in facts]
    scores = score_turn(
        turn(question, page=page, facts=expected), result(answer, cards=refs), CATALOGUE
    )
    assert (scores["grounded"], scores["facts_quoted"]) == (1.0, 1.0), answer


def test_an_altered_offline_reply_loses_its_grounding() -> None:
    answer = _offline("How much is the Nordkap Cast Iron Skillet?", [SKILLET, SHOE])
    assert "$142.99" in answer
    altered = answer.replace("$142.99", "$124.99")
    assert score_turn(turn(), result(altered, cards=[SKILLET, SHOE]), CATALOGUE)["grounded"] == 0


def test_the_offline_policy_reply_states_no_product_fact() -> None:
    answer = _offline("What does shipping cost?", [SKILLET], SKILLET)
    assert "$6.95" in answer
    scores = score_turn(turn(page=SKILLET, refuse=False), result(answer), CATALOGUE)
    assert "grounded" not in scores and scores["refusal_correct"] == 1.0


def test_the_offline_reply_to_an_order_question_hands_off() -> None:
    answer = _offline("Where is my order #4521?", [SKILLET])
    scores = score_turn(turn(handoff=True, refuse=False), result(answer), CATALOGUE)
    assert (scores["handoff_correct"], scores["refusal_correct"]) == (1.0, 1.0), answer
