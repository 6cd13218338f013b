"""The offline grounded answerer: answers only from the retrieved facts."""

from __future__ import annotations

from engine.guardrails import check_answer
from engine.llm import StreamUsage, TextDelta
from engine.offline import NOTHING_FOUND, OfflineGroundedAnswerer, compose_grounded_answer
from engine.types import BusinessProfile, Grounding, LLMSettings, PageContext
from tests.engine._catalogue import HIKING_BOOTS, RAIN_JACKET, SHIPPING_DOC, WOOL_SOCKS, product

CATALOGUE = (RAIN_JACKET, HIKING_BOOTS, WOOL_SOCKS)


def answer(question: str, hits=CATALOGUE, docs=(), page=None, profile=None) -> str:
    return compose_grounded_answer(
        Grounding(question=question, hits=hits, doc_hits=docs, page=page, profile=profile)
    )


SHOP = BusinessProfile(
    name="Peak Outfitters",
    support_email="help@peak.test",
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


def test_a_spending_limit_is_a_maximum_as_retrieval_reads_it() -> None:
    # The bound read once (engine.retrieval.filters): "more than" after "can't spend" caps.
    text = answer("I want some footwear but can't spend more than $50")
    assert "under $50.00" in text and "over" not in text
    assert "Merino Wool Socks" in text and "Hiking Boots" not in text


def test_question_about_the_product_on_the_page_quotes_the_best_evidence() -> None:
    text = answer("Is it waterproof?", page=PageContext(url=None, product_id="101"))
    assert text.startswith("About **Blue Rain Jacket**")
    assert '"It is fully waterproof with taped seams and a 10,000 mm rating."' in text
    assert "$49.99" in text


def test_a_single_strong_hit_is_answered_about_directly() -> None:
    assert "The hood folds into the collar." in answer("Does the rain jacket have a hood?")
    assert answer("What colours does the rain jacket come in?") == (
        "**Blue Rain Jacket** comes in Blue and Red."
    )
    price = answer("How much is the blue rain jacket?")
    assert price.startswith("**Blue Rain Jacket** is $49.99")


def test_it_says_so_when_the_description_is_silent() -> None:
    text = answer("Is the rain jacket warm?")
    assert "doesn't say anything about that" in text and "$49.99" in text


def test_the_product_the_question_names_wins_over_a_longer_title_ranked_above_it() -> None:
    pro, plain = (
        product("Brisa Board Game Pro", "49.99", score=0.9),
        product("Brisa Board Game", "20.50", score=0.5),
    )
    text = answer("How much is the Brisa Board Game?", hits=(pro, plain))
    assert text == "**Brisa Board Game** is $20.50 and in stock."
    assert "$49.99" in answer("How much is the Brisa Board Game Pro?", hits=(plain, pro))


def test_in_stock_products_come_first_and_cheapest_orders_by_price() -> None:
    bags = (
        product("Summit Sleeping Bag", "489.00"),
        product("Valley Sleeping Bag", "20.95", in_stock=False, stock_status="outofstock"),
        product("Bergen Sleeping Bag", "21.95"),
        product("Fjord Sleeping Bag", "35.00"),
    )
    listed = answer("Which sleeping bags do you have?", hits=bags)
    assert [line.split("**")[1] for line in listed.splitlines()[1:]] == [
        "Summit Sleeping Bag",
        "Bergen Sleeping Bag",
        "Fjord Sleeping Bag",
        "Valley Sleeping Bag",
    ]
    cheapest = answer("What's your cheapest sleeping bag?", hits=bags)
    assert cheapest.startswith("Here's what I found, cheapest first:")
    assert [line.split("**")[1] for line in cheapest.splitlines()[1:]] == [
        "Bergen Sleeping Bag",
        "Fjord Sleeping Bag",
        "Summit Sleeping Bag",
        "Valley Sleeping Bag",
    ]


def test_asking_for_sale_items_is_not_a_failed_match() -> None:
    deals = (product("Trail Cap", "12.00", on_sale=True), product("Camp Mug", "9.00", on_sale=True))
    assert answer("what is on sale?", hits=deals).startswith("Here's what I found:")


def test_a_list_item_is_quoted_without_its_bullet() -> None:
    shell = product(
        "Storm Shell",
        "80.00",
        snippets=("Features:\n- A fully taped waterproof membrane\n- Two pockets",),
    )
    text = answer("Is the Storm Shell waterproof?", hits=(shell,))
    assert text.startswith(
        'About **Storm Shell**: "A fully taped waterproof membrane" It\'s $80.00'
    )


def test_knowledge_questions_quote_the_document() -> None:
    text = answer("How long does shipping take?", docs=(SHIPPING_DOC,))
    assert text == 'Here\'s what our Shipping FAQ says: "We ship within 2 business days."'


def test_a_returns_question_is_answered_with_the_merchants_policy_not_products() -> None:
    for question in ("What's your return policy?", "Can I get a refund on the rain jacket?"):
        text = answer(question, profile=SHOP)
        assert text == (
            "You have 30 days to return an item. Our returns policy: "
            '"Unworn items can be returned within 30 days for a full refund."'
        )


def test_a_policy_the_store_has_not_written_is_not_guessed() -> None:
    text = answer("Do you ship to Canada?", profile=SHOP)
    assert (
        "don't have the shipping policy for Peak Outfitters here" in text
        and "help@peak.test" in text
    )
    assert "Rain Jacket" not in text and "$" not in text
    # A knowledge document that covers it is quoted instead.
    assert "We ship within 2 business days." in answer(
        "Do you ship to Canada?", docs=(SHIPPING_DOC,), profile=SHOP
    )


def test_other_store_questions_get_the_stores_contact_not_products() -> None:
    for question, subject in [
        ("Can I pay with PayPal?", "payment options"),
        ("What warranty do you offer?", "warranty terms"),
        ("Where is my order #12345?", "order details"),
        ("Any discount codes?", "discount codes"),
    ]:
        text = answer(question, profile=SHOP)
        assert text.startswith(f"I don't have the {subject} for Peak Outfitters here"), question
        assert "help@peak.test" in text and "Rain Jacket" not in text
    assert "contact the store at help@peak.test" in answer("Can I talk to a human?", profile=SHOP)
    # A knowledge document is quoted only when it covers the question.
    assert "Rain Jacket" not in answer("Can I pay with PayPal?", docs=(SHIPPING_DOC,), profile=SHOP)
    assert "Shipping FAQ" not in answer(
        "Can I pay with PayPal?", docs=(SHIPPING_DOC,), profile=SHOP
    )
    # Not store questions: a price, and a search for discounted products.
    assert "$49.99" in answer("How much would I pay for the blue rain jacket?", profile=SHOP)
    assert "Rain Jacket" in answer("Any discounted jackets?", profile=SHOP)


def test_a_bare_greeting_gets_a_greeting() -> None:
    assert answer("hi!", profile=SHOP).startswith(
        "Hi! I can help you find products at Peak Outfitters"
    )
    assert "Rain Jacket" in answer("hi, do you have a rain jacket?", profile=SHOP)


def test_a_question_about_both_policies_gets_both() -> None:
    both = BusinessProfile(
        name="Peak", shipping_policy="Free shipping over $75.", returns_policy="30-day returns."
    )
    text = answer("How do shipping and returns work?", profile=both)
    assert text == (
        '- **Shipping:** Shipping is free on orders over $75. "Free shipping over $75."\n'
        '- **Returns:** You have 30 days to return an item. "30-day returns."'
    )


def test_nothing_found_is_said_plainly() -> None:
    # No products retrieved is no evidence that the store does not sell bicycles.
    assert answer("Do you sell bicycles?", hits=()) == NOTHING_FOUND
    # Products retrieved and none is a bicycle: said plainly, no unrelated list.
    assert answer("Do you sell bicycles?") == "Sorry, we don't sell bicycles here."


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
