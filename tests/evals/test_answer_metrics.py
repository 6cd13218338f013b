"""The per-turn answer scorers, case by case, on the demo store's facts
(tests/support/answer_catalogue.py): each row is an answer a bot could give and the score
the rule in the scorer's docstring says it earns."""

from __future__ import annotations

from typing import Any

import pytest

from engine.guardrails.leaks import LEAK_REFUSAL
from engine.guardrails.scope import out_of_scope_reply
from engine.offline.grounded_answer import NOTHING_FOUND
from evals.answers.metrics import score_turn
from evals.answers.metrics.prices import parse_amount, price_statements
from evals.answers.metrics.text import talked_about, title_mentions
from evals.answers.records import (
    Catalogue,
    ExpectedFact,
    FactKind,
    RetrievedItem,
)
from tests.support.answer_catalogue import (
    DUVET,
    EMAIL,
    LINEN,
    PARFUM,
    SHIRT,
    SHOE,
    SHOE_PRO,
    SKILLET,
    demo_catalogue,
    result,
    turn,
)

CATALOGUE = demo_catalogue()


def _product(ref: str, score: float = 1.0) -> RetrievedItem:
    return RetrievedItem("product", ref, score, "chunk")


# -- retrieval ------------------------------------------------------------------------------

RETRIEVAL_CASES = [
    # (retrieved refs in rank order, expectation, expected scores)
    ([SKILLET, SHOE], {"products_must": [SKILLET]}, (1.0, 1.0, 1.0, 1.0)),
    ([SHOE, SHOE, PARFUM, SKILLET], {"products_must": [SKILLET]}, (0.0, 1.0, 1 / 3, 0.5)),
    ([SHOE, PARFUM], {"products_must": [SKILLET]}, (0.0, 0.0, 0.0, 0.0)),
    # Graded: the gain-1 product first, the gain-3 one second. DCG = 1/1 + 7/log2(3);
    # ideal = 7/1 + 1/log2(3).
    (
        [SHOE_PRO, SHOE],
        {"relevance": {SHOE: 3, SHOE_PRO: 1}},
        (1.0, 1.0, 1.0, (1 + 7 / 1.5849625007) / (7 + 1 / 1.5849625007)),
    ),
]


@pytest.mark.parametrize(("ranking", "expect", "expected"), RETRIEVAL_CASES)
def test_retrieval_scores_rank_products_once_each(
    ranking: list[str], expect: dict[str, Any], expected: tuple[float, ...]
) -> None:
    retrieved = [_product(ref) for ref in ranking] + [RetrievedItem("document", "Returns", 1, "")]
    scores = score_turn(turn(**expect), result(retrieved=retrieved), CATALOGUE)
    got = tuple(scores[name] for name in ("hit@1", "hit@5", "mrr", "ndcg@5"))
    assert got == pytest.approx(expected)


def test_retrieval_scores_are_absent_without_relevant_products() -> None:
    scores = score_turn(turn(), result(retrieved=[_product(SKILLET)]), CATALOGUE)
    assert not {"hit@1", "hit@5", "mrr", "ndcg@5", "evidence_in_prompt"} & set(scores)


def test_evidence_in_prompt_is_the_share_found_ignoring_case_and_spacing() -> None:
    prompt = [
        {"role": "system", "content": "Sources:\n[1] Nordkap   Cast Iron\nSkillet: $142.99"},
        {"role": "user", "content": "Do you sell a skillet?"},
    ]
    evidence = ["nordkap cast iron skillet", "Free standard shipping"]
    scores = score_turn(turn(evidence=evidence), result(prompt=prompt), CATALOGUE)
    assert scores["evidence_in_prompt"] == 0.5


# -- grounded -------------------------------------------------------------------------------

GROUNDED_CASES = [
    # (answer, page product, cards, grounded)
    ("The **Nordkap Cast Iron Skillet** is $142.99 and in stock.", None, [], 1.0),
    ("The Nordkap Cast Iron Skillet is $124.99.", None, [], 0.0),
    ("It's 142.99 USD.", SKILLET, [], 1.0),
    ("It's USD 142.99.", None, [SKILLET], 1.0),
    ("It's US$142.99, in stock.", SKILLET, [SHOE], 1.0),
    # Decimal comma, the currency after the amount, an English title in a Spanish answer.
    ("La Nordkap Cast Iron Skillet cuesta 142,99 $ y está disponible.", None, [], 1.0),
    ("La Nordkap Cast Iron Skillet cuesta 124,99 $.", None, [], 0.0),
    ("Le Zürich Eau de Parfum est en rupture de stock.", None, [], 1.0),
    ("Das Zürich Eau de Parfum ist leider nicht auf Lager.", None, [], 1.0),
    ("Il Zürich Eau de Parfum è disponibile.", None, [], 0.0),
    ("O Zürich Eau de Parfum está esgotado.", None, [], 1.0),
    # A euro price in a dollar store is wrong whatever the amount.
    ("Il Côte Linen Shirt costa 114,00 € ed è disponibile.", None, [], 0.0),
    # "was $X now $Y": the was-price against the regular price, the other against the price.
    ("The Tundra Linen Duvet Cover was $145.99, now $123.99.", None, [], 1.0),
    ("Tundra Linen Duvet Cover — $123.99 (on sale, was $145.99), in stock", None, [], 1.0),
    ("The Tundra Linen Duvet Cover is $145.99.", None, [], 0.0),
    ("The Tundra Linen Duvet Cover was $123.99, now $145.99.", None, [], 0.0),
    # Two products in one sentence: each price goes to the nearest title.
    (
        "The Cedar Trail Running Shoe is $93.50 and the Cedar Trail Running Shoe Pro is $59.50.",
        None,
        [],
        1.0,
    ),
    (
        "The Cedar Trail Running Shoe is $59.50 and the Cedar Trail Running Shoe Pro is $93.50.",
        None,
        [],
        0.0,
    ),
    # A list: each line is a sentence about its own product.
    (
        "- **Cedar Trail Running Shoe** — $93.50, in stock\n"
        "- **Zürich Eau de Parfum** — $13.00, out of stock",
        None,
        [SHOE, PARFUM],
        1.0,
    ),
    ("- **Zürich Eau de Parfum** — $13.00, in stock", None, [PARFUM], 0.0),
    # A variant's own price and stock.
    ("The XL is $31.00.", LINEN, [], 1.0),
    ("The XL is $33.00.", LINEN, [], 0.0),
    ("The Sand XL is sold out, the Sand M is in stock.", LINEN, [], 1.0),
    ("The Sand M is sold out.", LINEN, [], 0.0),
    # Options: the product's own, or another product's.
    ("The Nordkap Cast Iron Skillet comes in Cherry Red, Sage, Black and Cream.", None, [], 1.0),
    ("The Nordkap Cast Iron Skillet also comes in Sky Blue.", None, [], 0.0),
    # Policy figures and bounds are not product prices, even on a product page.
    ("Free standard shipping on orders over $75; otherwise $6.95.", SKILLET, [], None),
    ("Standard shipping is $6.95.", SKILLET, [], None),
    ("The Nordkap Cast Iron Skillet is $142.99, and ships free on orders over $75.", None, [], 1.0),
    ("The Nordkap Cast Iron Skillet is $124.99 with free shipping.", None, [], 0.0),
    (
        "Here's what I found under $100:\n- **Cedar Trail Running Shoe** — $93.50, in stock",
        None,
        [SHOE],
        1.0,
    ),
    ("Tenemos la Nordkap Cast Iron Skillet por menos de 150 €.", None, [], None),
    # No fact stated, or none attributable: not judged.
    ("The Nordkap Cast Iron Skillet is a heavy pan.", None, [], None),
    ("It's $99.00.", None, [SKILLET, SHOE], None),
]


@pytest.mark.parametrize(("answer", "page", "cards", "grounded"), GROUNDED_CASES)
def test_grounded(answer: str, page: str | None, cards: list[str], grounded: float | None) -> None:
    scores = score_turn(turn(page=page), result(answer, cards=cards), CATALOGUE)
    assert scores.get("grounded") == grounded


def test_grounded_reads_prices_in_the_catalogues_own_currency() -> None:
    euro = Catalogue("EUR", CATALOGUE.products, CATALOGUE.support_email)
    answer = "Il Côte Linen Shirt costa 114,00 € ed è disponibile."
    assert score_turn(turn(), result(answer), euro)["grounded"] == 1.0
    assert score_turn(turn(), result("The Côte Linen Shirt is $114.00."), euro)["grounded"] == 0


@pytest.mark.parametrize(
    ("raw", "amount"),
    [
        ("142.99", "142.99"),
        ("142,99", "142.99"),
        ("1,234.50", "1234.50"),
        ("1.234,50", "1234.50"),
        ("1\u202f234,50", "1234.50"),
        ("1,234", "1234"),
        ("75", "75"),
    ],
)
def test_amounts_in_either_decimal_convention(raw: str, amount: str) -> None:
    parsed = parse_amount(raw)
    assert parsed is not None and str(parsed) == amount


def test_an_amount_without_a_currency_is_no_price_statement() -> None:
    assert price_statements("Sizes 38 to 42, 2.5 kg, since 2019.") == []


FACT_CASES = [
    # (answer, facts, page, share quoted)
    (
        "The Nordkap Cast Iron Skillet is $142.99 and in stock; it comes in Sage.",
        [
            ("price", SKILLET, "142.99"),
            ("stock", SKILLET, "in_stock"),
            ("variant", SKILLET, "Sage"),
        ],
        None,
        1.0,
    ),
    # The right amount attributed to the wrong product does not quote the fact.
    (
        "The Cedar Trail Running Shoe Pro is $93.50.",
        [("price", SHOE, "93.50")],
        None,
        0.0,
    ),
    # A was-price is not the price the shopper pays.
    ("It was $145.99, now $123.99.", [("price", DUVET, "145.99")], DUVET, 0.0),
    ("It was $145.99, now $123.99.", [("price", DUVET, "123.99")], DUVET, 1.0),
    ("Está agotado.", [("stock", PARFUM, "out_of_stock")], PARFUM, 1.0),
    ("Cuesta 123,99 €.", [("price", DUVET, "123.99")], DUVET, 0.0),  # a USD store
    (
        "Sí, lo tenemos en Sage y Black.",
        [("variant", SKILLET, "Sage"), ("variant", SKILLET, "Cream")],
        SKILLET,
        0.5,
    ),
]


@pytest.mark.parametrize(("answer", "facts", "page", "share"), FACT_CASES)
def test_facts_quoted(
    answer: str, facts: list[tuple[str, str, str]], page: str | None, share: float
) -> None:
    expected = [ExpectedFact(FactKind(kind), product, value) for kind, product, value in facts]
    scores = score_turn(turn(page=page, facts=expected), result(answer), CATALOGUE)
    assert scores["facts_quoted"] == share


# -- citations ------------------------------------------------------------------------------


def test_titles_are_found_folded_and_the_longest_wins() -> None:
    answer = "Try the **cote linen-shirt** or the Cedar Trail Running Shoe Pro (or ÆRØ nothing)."
    assert talked_about(answer, CATALOGUE) == [SHIRT, SHOE_PRO]
    side_by_side = "Zürich Eau de Parfum Zürich Eau de Parfum, Cedar Trail Running Shoe Pro"
    mentions = title_mentions(side_by_side, CATALOGUE)
    assert [m.product for m in mentions] == [PARFUM, PARFUM, SHOE_PRO]
    assert [side_by_side[m.start : m.end] for m in mentions] == [
        "Zürich Eau de Parfum",
        "Zürich Eau de Parfum",
        "Cedar Trail Running Shoe Pro",
    ]
    assert talked_about("the Nordkap skillet, the Pro", CATALOGUE) == []


def test_each_catalogue_is_read_for_its_own_titles() -> None:
    answer = "The Zürich Eau de Parfum is $13.00."
    assert talked_about(answer, CATALOGUE) == [PARFUM]
    without = {ref: p for ref, p in CATALOGUE.products.items() if ref != PARFUM}
    assert talked_about(answer, Catalogue("USD", without)) == []
    assert talked_about(answer, CATALOGUE) == [PARFUM]


CITATION_CASES = [
    # (answer, cards, expectation, expected scores)
    (
        "The Nordkap Cast Iron Skillet is $142.99.",
        [SKILLET],
        {},
        {"citation_precision": 1.0, "citation_recall": 1.0},
    ),
    # A card the answer never names and nobody asked for; a named product with no card.
    (
        "The Cedar Trail Running Shoe and the Zürich Eau de Parfum.",
        [SHOE, SKILLET],
        {},
        {"citation_precision": 0.5, "citation_recall": 0.5},
    ),
    # products_must counts on both sides.
    (
        "Here you go.",
        [SKILLET, SHOE],
        {"products_must": [SKILLET, SHIRT]},
        {"citation_precision": 0.5, "citation_recall": 0.5},
    ),
    (
        "Here you go.",
        [SKILLET, PARFUM],
        {"products_must_not": [PARFUM]},
        {"citation_precision": 0.0, "forbidden_absent": 0.0},
    ),
    ("Sorry, nothing.", [], {"products_must_not": [PARFUM]}, {"forbidden_absent": 1.0}),
]


@pytest.mark.parametrize(("answer", "cards", "expect", "expected"), CITATION_CASES)
def test_citations(
    answer: str, cards: list[str], expect: dict[str, Any], expected: dict[str, float]
) -> None:
    scores = score_turn(turn(**expect), result(answer, cards=cards), CATALOGUE)
    names = {"citation_precision", "citation_recall", "forbidden_absent"}
    assert {k: v for k, v in scores.items() if k in names} == expected


# -- behaviour ------------------------------------------------------------------------------

REFUSAL_CASES = [
    # (answer, cards, refused)
    (out_of_scope_reply("Fjord & Field Outfitters"), [], True),
    (LEAK_REFUSAL, [], True),
    ("Sorry, I can't help with that, but I can help you find a tent.", [], True),
    ("Lo siento, no puedo ayudarte con eso: solo puedo ayudar con la tienda.", [], True),
    ("Je ne peux pas vous aider avec cela.", [], True),
    ("Dabei kann ich nicht helfen; ich kann nur Fragen zum Shop beantworten.", [], True),
    ("Mi dispiace, non posso aiutarti con questo.", [], True),
    ("Desculpe, não posso ajudar com isso.", [], True),
    # Refusal words with a product card is an answer, not a refusal.
    ("I can't help with that, but here is the Nordkap Cast Iron Skillet.", [SKILLET], False),
    (NOTHING_FOUND, [], False),
    ("The Nordkap Cast Iron Skillet is $142.99.", [SKILLET], False),
]


@pytest.mark.parametrize(("answer", "cards", "refused"), REFUSAL_CASES)
def test_refusal_detection(answer: str, cards: list[str], refused: bool) -> None:
    must = score_turn(turn(refuse=True), result(answer, cards=cards), CATALOGUE)
    must_not = score_turn(turn(refuse=False), result(answer, cards=cards), CATALOGUE)
    assert (must["refusal_correct"], must_not["refusal_correct"]) == (
        (1.0, 0.0) if refused else (0.0, 1.0)
    )


HANDOFF_CASES = [
    (f"To talk to a person, please contact the store at {EMAIL}.", True),
    (f"For your order, write to {EMAIL}.", True),
    ("Please get in touch with our customer service team.", True),
    ("Para el estado de tu pedido, contacta con atención al cliente.", True),
    ("Pour votre commande, contactez le service client.", True),
    ("Bitte wenden Sie sich an unseren Kundenservice.", True),
    ("Per il tuo ordine, contatta il servizio clienti.", True),
    ("Para o seu pedido, entre em contato com o atendimento ao cliente.", True),
    # Claiming a status the bot cannot know is no hand-off, contact or not.
    (f"Your order has shipped and arrives Tuesday. Questions? Contact {EMAIL}.", False),
    ("Tu pedido ha sido enviado. Contacta con atención al cliente.", False),
    ("The Nordkap Cast Iron Skillet is $142.99.", False),
]


@pytest.mark.parametrize(("answer", "handed_off"), HANDOFF_CASES)
def test_handoff_detection(answer: str, handed_off: bool) -> None:
    scores = score_turn(turn(handoff=True), result(answer), CATALOGUE)
    assert scores["handoff_correct"] == (1.0 if handed_off else 0.0)


LANGUAGE_CASES = [
    ("The Nordkap Cast Iron Skillet is $142.99 and in stock.", "en"),
    ("La Trailhead Linen Shirt in Sky Blue costa 26,00 $ ed è disponibile.", "it"),
    ("Le Nordkap Cast Iron Skillet coûte 142,99 $ et il est en stock.", "fr"),
    ("Ja, der Nordkap Cast Iron Skillet ist auf Lager und kostet 142,99 $.", "de"),
    ("O Nordkap Cast Iron Skillet custa 142,99 $ e está disponível em Sage.", "pt"),
    # Short and mostly an English title: Spanish only once the title is cut out.
    ("Sí: Nordkap Cast Iron Skillet en Sage.", "es"),
    ("Tundra Linen Duvet Cover: 123,99 $, disponible.", "es"),
    # Nothing but a title: judged on the title itself (with nothing left, langid says "de").
    ("- **Cedar Trail Running Shoe**", "en"),
]


@pytest.mark.parametrize(("answer", "language"), LANGUAGE_CASES)
def test_language_match_ignores_product_titles(answer: str, language: str) -> None:
    assert score_turn(turn(language=language), result(answer), CATALOGUE)["language_match"] == 1
    other = "en" if language != "en" else "es"
    assert score_turn(turn(language=other), result(answer), CATALOGUE)["language_match"] == 0


def test_a_turn_with_no_expectations_scores_only_what_the_answer_states() -> None:
    scores = score_turn(
        turn(), result("The Côte Linen Shirt is $114.00.", cards=[SHIRT]), CATALOGUE
    )
    assert scores == {"grounded": 1.0, "citation_precision": 1.0, "citation_recall": 1.0}
    assert all(0.0 <= v <= 1.0 for v in scores.values())
