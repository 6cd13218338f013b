"""The offline grounded answerer: answers only from the retrieved facts."""

from __future__ import annotations

from engine.guardrails import check_answer
from engine.llm import OfflineGroundedAnswerer, StreamUsage, TextDelta
from engine.llm.grounded_answer import NOTHING_FOUND, compose_grounded_answer
from engine.types import BusinessProfile, Grounding, LLMSettings, PageContext
from tests.engine._catalogue import HIKING_BOOTS, RAIN_JACKET, SHIPPING_DOC, WOOL_SOCKS, product

CATALOGUE = (RAIN_JACKET, HIKING_BOOTS, WOOL_SOCKS)


def answer(question: str, hits=CATALOGUE, docs=(), page=None, profile=None) -> str:
    return compose_grounded_answer(
        Grounding(question=question, hits=hits, doc_hits=docs, page=page, profile=profile)
    )


SHOP = BusinessProfile(
    name="Peak Outfitters", support_email="help@peak.test",
    returns_policy="Unworn items can be returned within 30 days for a full refund.",
)


def test_search_lists_matching_products_with_live_price_and_stock() -> None:
    text = answer("Do you have anything waterproof?")
    assert "**Blue Rain Jacket** — $49.99 (on sale, was $59.99), in stock (only 3 left)" in text
    assert "**Trail Hiking Boots** — $129.00, out of stock" in text
    assert "Merino" not in text  # nothing about socks mentions waterproofing


def test_prices_come_from_fields_not_from_descriptions() -> None:
    stale = product(
        "Canvas Tote", "12.00", snippets=("Our best-selling tote, only $9.99 this week!",)
    )
    text = answer("Do you sell tote bags?", hits=(stale, WOOL_SOCKS))
    assert "$12.00" in text and "9.99" not in text


def test_price_limit_filters_the_list() -> None:
    text = answer("Show me footwear under $50")
    assert "under $50.00" in text
    assert "Merino Wool Socks" in text and "Hiking Boots" not in text
    assert "couldn't find" in answer("Any boots under $20?").lower()


def test_question_about_the_product_on_the_page_quotes_the_best_evidence() -> None:
    text = answer("Is it waterproof?", page=PageContext(url=None, product_id="101"))
    assert text.startswith("About **Blue Rain Jacket**")
    assert '"It is fully waterproof with taped seams and a 10,000 mm rating."' in text
    assert "$49.99" in text


def test_a_single_strong_hit_is_answered_about_directly() -> None:
    assert "The hood folds into the collar." in answer("Does the rain jacket have a hood?")
    assert "Blue, Red" in answer("What colours does the rain jacket come in?")
    price = answer("How much is the blue rain jacket?")
    assert price.startswith("**Blue Rain Jacket** is $49.99")


def test_it_says_so_when_the_description_is_silent() -> None:
    text = answer("Is the rain jacket warm?")
    assert "doesn't say anything about that" in text and "$49.99" in text


def test_a_list_item_is_quoted_without_its_bullet() -> None:
    shell = product("Storm Shell", "80.00", snippets=("Features:\n- A fully taped waterproof membrane\n- Two pockets",))
    text = answer("Is the Storm Shell waterproof?", hits=(shell,))
    assert text.startswith('About **Storm Shell**: "A fully taped waterproof membrane" It\'s $80.00')


def test_knowledge_questions_quote_the_document() -> None:
    text = answer("How long does shipping take?", docs=(SHIPPING_DOC,))
    assert text == 'Here\'s what our Shipping FAQ says: "We ship within 2 business days."'


def test_a_returns_question_is_answered_with_the_merchants_policy_not_products() -> None:
    for question in ("What's your return policy?", "Can I get a refund on the rain jacket?"):
        text = answer(question, profile=SHOP)
        assert text == "Our returns policy: Unworn items can be returned within 30 days for a full refund."


def test_a_policy_the_store_has_not_written_is_not_guessed() -> None:
    text = answer("Do you ship to Canada?", profile=SHOP)
    assert "don't have Peak Outfitters's shipping policy" in text and "help@peak.test" in text
    assert "Rain Jacket" not in text and "$" not in text
    # A knowledge document that covers it is quoted instead.
    assert "We ship within 2 business days." in answer("Do you ship to Canada?", docs=(SHIPPING_DOC,), profile=SHOP)


def test_a_question_about_both_policies_gets_both() -> None:
    both = BusinessProfile(name="Peak", shipping_policy="Free shipping over $75.", returns_policy="30-day returns.")
    text = answer("How do shipping and returns work?", profile=both)
    assert text == "- **Shipping:** Free shipping over $75.\n- **Returns:** 30-day returns."


def test_nothing_found_is_said_plainly() -> None:
    assert answer("Do you sell bicycles?", hits=()) == NOTHING_FOUND
    assert answer("Do you sell bicycles?").startswith("I couldn't find an exact match")


def test_offline_answers_pass_the_guardrails_untouched() -> None:
    for question in ("Do you have anything waterproof?", "How much is the blue rain jacket?"):
        text = answer(question)
        assert check_answer(text, CATALOGUE, currency="USD").text == text


async def test_streams_wordish_deltas_then_usage() -> None:
    offline = OfflineGroundedAnswerer()
    assert not offline.generative
    grounding = Grounding(question="Do you have merino socks?", hits=(WOOL_SOCKS,))
    events = [e async for e in offline.stream([], LLMSettings(), grounding=grounding)]
    deltas = [e for e in events if isinstance(e, TextDelta)]
    assert len(deltas) > 5
    expected = answer("Do you have merino socks?", hits=(WOOL_SOCKS,))
    assert "".join(d.text for d in deltas) == expected
    assert isinstance(events[-1], StreamUsage) and events[-1].model == "offline-grounded"
    completion = await offline.complete([], LLMSettings(), grounding=grounding)
    assert completion.text == "".join(d.text for d in deltas)


async def test_without_grounding_it_has_no_facts() -> None:
    messages = [{"role": "user", "content": "Do you have rain jackets?"}]
    completion = await OfflineGroundedAnswerer().complete(messages, LLMSettings())
    assert completion.text == NOTHING_FOUND


def test_backorder_and_missing_price_are_described_honestly() -> None:
    special = product(
        "Storm Poncho", None, in_stock=True, stock_status="onbackorder", regular_price=None
    )
    text = answer("Do you have a storm poncho?", hits=(special,))
    assert "price on request" in text and "available on backorder" in text
