"""Reading a follow-up against the products the last answer showed (engine.follow_ups)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from engine.follow_ups import apply_reference, last_shown, read_reference
from engine.types import Turn
from tests.engine._catalogue import HIKING_BOOTS, RAIN_JACKET, WOOL_SOCKS

# The last answer showed these three, in this order ($49.99 on sale, $129.00 sold out, $15).
SHOWN = (RAIN_JACKET, HIKING_BOOTS, WOOL_SOCKS)
HISTORY = (
    Turn("user", "What do you have for a wet hike?"),
    Turn("assistant", "Here's what I found: …", products=("101", "102", "103")),
)


def focus_of(question: str, catalogue_stems: frozenset[str] = frozenset()):
    reference = read_reference(question, HISTORY)
    assert reference is not None, question
    return apply_reference(reference, SHOWN, question, set(catalogue_stems))


def test_the_newest_answer_with_products_is_the_set() -> None:
    history = (*HISTORY, Turn("user", "thanks"), Turn("assistant", "You're welcome!"))
    assert last_shown(history) == ("101", "102", "103")
    assert read_reference("the second one", (Turn("user", "hi"),)) is None


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("How much is the second one?", ("102",)),
        ("tell me about the first", ("101",)),
        ("and the last one?", ("103",)),
        ("is option 3 warm?", ("103",)),
    ],
)
def test_a_position_picks_that_product(question: str, expected: tuple[str, ...]) -> None:
    focus = focus_of(question)
    assert focus is not None and focus.operation == "pick"
    assert focus.products == expected


def test_a_position_past_the_set_is_not_resolved() -> None:
    assert focus_of("what about the fifth one?") is None


def test_cheapest_and_priciest_read_the_live_prices() -> None:
    cheapest = focus_of("which of those is the cheapest?")
    priciest = focus_of("the most expensive of them?")
    assert cheapest is not None and cheapest.products == ("103",)
    assert priciest is not None and priciest.products == ("102",)


def test_a_price_bound_keeps_the_products_within_it() -> None:
    focus = focus_of("any under 50?")
    assert focus is not None and focus.operation == "under"
    assert focus.limit == Decimal("50") and focus.products == ("101", "103")
    none = focus_of("anything under $10?")
    assert none is not None and none.products == () and none.shown == ("101", "102", "103")


def test_stock_and_sale_narrow_the_set() -> None:
    in_stock = focus_of("only the ones in stock please")
    on_sale = focus_of("which of them is on sale?")
    assert in_stock is not None and in_stock.products == ("101", "103")
    assert on_sale is not None and on_sale.products == ("101",)


def test_compare_them_takes_the_whole_set_in_order() -> None:
    focus = focus_of("compare them")
    assert focus is not None and focus.operation == "compare"
    assert focus.products == ("101", "102", "103")


def test_the_named_one_is_picked_by_a_word_of_its_title() -> None:
    focus = focus_of("tell me more about the Merino one")
    assert focus is not None and focus.products == ("103",)


def test_it_means_the_product_the_shopper_named_before() -> None:
    history = (
        Turn("user", "Do you have the Trail Hiking Boots?"),
        Turn("assistant", "Here's what I found: …", products=("101", "102", "103")),
    )
    reference = read_reference("How much is it?", history)
    assert reference is not None
    focus = apply_reference(reference, SHOWN, "How much is it?", set())
    assert focus is not None and focus.operation == "pick" and focus.products == ("102",)


def test_it_on_a_product_page_is_the_page_not_the_set() -> None:
    assert read_reference("is it waterproof?", HISTORY, on_product_page=True) is None


def test_a_follow_up_naming_something_new_is_a_new_search() -> None:
    # "tent" begins a word of some product's title in the store, and none of the set's.
    assert focus_of("any tents under 50?", frozenset({"tent"})) is None
    # A word the store sells that the set holds is still about the set.
    assert focus_of("any jackets under 50?", frozenset({"jacket"})) is not None


def test_a_question_that_does_not_point_back_is_searched() -> None:
    assert read_reference("Do you have tents?", HISTORY) is None
    assert read_reference("Do you have anything cheaper?", HISTORY) is None
    assert focus_of("what's the most expensive tent you have?", frozenset({"tent"})) is None
    assert read_reference("What is your returns policy for sale items?", HISTORY) is None


def test_a_refinement_after_a_list_is_searched_but_after_one_product_is_about_it() -> None:
    reference = read_reference("and in size 44?", HISTORY)
    assert reference is not None
    assert apply_reference(reference, SHOWN, "and in size 44?", set()) is None
    one = (Turn("user", "Is the jacket warm?"), Turn("assistant", "…", products=("101",)))
    single = read_reference("and in Red?", one)
    assert single is not None
    focus = apply_reference(single, (RAIN_JACKET,), "and in Red?", set())
    assert focus is not None and focus.products == ("101",)


def test_a_relative_that_is_no_reference() -> None:
    assert read_reference("I want a jacket that packs really small for travel", HISTORY) is None
