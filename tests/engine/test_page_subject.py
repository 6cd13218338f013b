"""Which questions asked on a product page are about that product, and the excerpt of a
long chunk a question needs (pure functions, no database)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from engine.prompts.excerpts import excerpt
from engine.retrieval.filters import QueryFilters
from engine.retrieval.page_subject import names_another_product, page_is_subject

ICE_MAKER = "Frost Countertop Ice Maker"
OTHERS = ("Brass Door Latch", "White Garden Canopy", "Sonic Electric Toothbrush")


def _subject(question: str, filters: QueryFilters | None = None, **kw) -> bool:
    return page_is_subject(
        question,
        filters or QueryFilters(search_text=question),
        page_title=kw.get("page_title", ICE_MAKER),
        page_categories=kw.get("page_categories", ("Kitchen",)),
        page_values=kw.get("page_values", ("white", "black")),
        other_titles=kw.get("other_titles", OTHERS),
    )


@pytest.mark.parametrize(
    "question",
    [
        "why is the white one so loud?",
        "which country made it?",
        "would I be able to hot glue this?",
        "how much does it weigh?",
        "do you have it in white?",
        "Is it in stock?",
        "¿Lo tienen en stock?",
        "does the canopy of ice fall out?",  # one shared word names no other product
    ],
)
def test_a_question_about_the_page_product_is_about_it_alone(question: str) -> None:
    assert _subject(question)


def test_an_option_the_page_product_lacks_searches_only_when_asked_for() -> None:
    red = QueryFilters(attribute_values=("red",), search_text="red")
    assert _subject("is the red one as quiet?", red)
    assert not _subject("do you have it in red?", red)
    assert _subject("do you have it in white?", QueryFilters(attribute_values=("white",)))


@pytest.mark.parametrize(
    "question, filters",
    [
        ("is it better than the sonic electric toothbrush?", None),
        ("how does the Garden Canopy compare?", None),
        ("do you have anything similar?", None),
        ("what else would you recommend?", None),
        ("¿tienen otros modelos?", None),
        ("any under $50?", QueryFilters(max_price=Decimal(50), search_text="any")),
        ("do you have it in red?", QueryFilters(attribute_values=("red",), search_text="red")),
        ("any camping lanterns?", QueryFilters(categories=("camping",), search_text="lanterns")),
    ],
)
def test_a_question_naming_or_describing_something_else_searches(
    question: str, filters: QueryFilters | None
) -> None:
    assert not _subject(question, filters)


def test_a_product_is_named_by_the_words_its_title_does_not_share_with_the_page() -> None:
    assert names_another_product(
        "which is cheaper, this or the Cedar Trail Running Shoe?",
        "Cedar Down Sleeping Bag",
        ["Cedar Trail Running Shoe"],
    )
    assert not names_another_product(
        "is the cedar down warm?", "Cedar Down Sleeping Bag", ["Cedar Trail Running Shoe"]
    )
    assert names_another_product("do these come with pants?", "Rain Jacket", ["Rain Pants"])


LONG_CHUNK = (
    "Product B005G14SGU Category: Toys & Games. From the manufacturer: lifelike features and "
    "representative accessories help your child practice safe ways to handle a baby. "
    + "It comes with a bottle, a blanket and a bib for pretend play. "
    * 8
    + "Answers from other shoppers - no, it smells like plastic and paint. "
    "- she is about 16 inches tall. - the doll is not weighted."
)


def test_a_long_excerpt_is_the_part_the_question_asks_about() -> None:
    shown = excerpt(LONG_CHUNK, "does it smell like a real baby?", 300)
    assert "it smells like plastic and paint." in shown
    assert "help your child practice safe ways to handle a baby." in shown  # "baby"
    assert len(shown) <= 300 and shown.endswith("…")


def test_an_excerpt_without_words_in_common_is_the_start_and_a_short_one_is_whole() -> None:
    head = excerpt(LONG_CHUNK, "hello?", 300)
    assert head.startswith("Product B005G14SGU") and len(head) == 300
    assert excerpt("Short  text.", "smell", 300) == "Short text."
