"""The offline answer about one product: the page's product is the subject, variants are
facts of their own, attributes, reviews; and it says plainly when the catalogue does not."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

from engine.guardrails import check_answer
from engine.offline import compose_grounded_answer
from engine.types import Grounding, PageContext, ProductHit
from tests.engine._catalogue import HIKING_BOOTS, RAIN_JACKET, WOOL_SOCKS, product
from tests.engine._variants import MERINO_TEE

HITS = (MERINO_TEE, RAIN_JACKET, HIKING_BOOTS, WOOL_SOCKS)
ON_TEE_PAGE = PageContext(url=None, product_id="460")


def answer(question: str, hits: tuple[ProductHit, ...] = HITS, page=ON_TEE_PAGE) -> str:
    return compose_grounded_answer(Grounding(question=question, hits=hits, page=page))


def test_a_pronoun_question_on_a_page_is_about_the_page_product_not_a_list() -> None:
    text = answer("Which country made it?")
    assert text.startswith("About **Aurora Merino T-Shirt**")
    assert '"The Aurora Merino T-Shirt is made in Portugal from merino wool."' in text
    assert "Rain Jacket" not in text and "Socks" not in text
    # A page question the description does not answer is said so, about the page product.
    silent = answer("Would I be able to hot glue this?")
    assert silent.startswith("The description of **Aurora Merino T-Shirt** doesn't say")
    assert "Rain Jacket" not in silent


def test_a_question_asking_for_other_products_on_a_page_searches() -> None:
    assert "Blue Rain Jacket" in answer("Do you have rain jackets?")
    assert answer("Do you have tents?") == "Sorry, we don't sell tents here."


def test_options_are_listed_from_the_variations_in_the_stores_order() -> None:
    assert answer("Which colours can I get this in?") == (
        "**Aurora Merino T-Shirt** comes in Rust Red, Sky Blue and Navy."
    )
    # Only sizes some variation has: XS, S, M, L (in the attribute's order).
    assert answer("What sizes does it come in?") == (
        "**Aurora Merino T-Shirt** comes in XS, S, M and L."
    )


def test_a_variation_is_answered_with_its_own_price_and_stock_never_the_parents() -> None:
    text = answer("Is it in stock in sky blue, size XS?")
    assert text == "**Aurora Merino T-Shirt** in Sky Blue, size XS is $61.50 and out of stock."
    assert "$55.99" not in text
    named = answer("How much is the Aurora Merino T-Shirt in Rust Red, size L?", page=None)
    assert named == "**Aurora Merino T-Shirt** in Rust Red, size L is $59.99 and in stock."
    backorder = answer("Do you have it in navy, size S?")
    assert backorder.endswith("is $55.99 and available on backorder.")


def test_one_option_lists_the_variations_that_have_it() -> None:
    text = answer("How much is the red one? I mean Rust Red")
    assert text.splitlines() == [
        "**Aurora Merino T-Shirt** in Rust Red:",
        "- size S — $55.99, in stock",
        "- size L — $59.99, in stock",
    ]


def test_a_combination_or_colour_that_does_not_exist_is_said_not_to_exist() -> None:
    assert answer("Do you have it in Navy, size L?") == (
        "**Aurora Merino T-Shirt** doesn't come in Navy, size L. In Navy it comes in size S."
    )
    assert answer("And in cream?") == (
        "**Aurora Merino T-Shirt** doesn't come in Cream. It comes in Rust Red, Sky Blue and Navy."
    )
    assert answer("Have you got it in size XL?") == (
        "**Aurora Merino T-Shirt** doesn't come in size XL. It comes in XS, S, M and L."
    )


def test_a_price_question_on_a_variable_product_gives_its_range() -> None:
    assert answer("How much is this?") == (
        "**Aurora Merino T-Shirt** is $55.99 to $61.50 depending on the options, and in stock."
    )


def test_weight_dimensions_and_material_come_from_the_fields() -> None:
    assert answer("How much does it weigh?") == "**Aurora Merino T-Shirt** weighs 0.35 kg."
    assert answer("What are its dimensions?") == (
        "**Aurora Merino T-Shirt** measures length 30 cm, width 20 cm and height 2 cm."
    )
    assert answer("What material is this?") == "**Aurora Merino T-Shirt** — Material: Merino wool."
    # WooCommerce's bare numbers: the unit is a store setting the listing does not carry.
    bare = dataclasses.replace(MERINO_TEE, weight="0.35", dimensions={"length": "30"})
    assert answer("How much does it weigh?", hits=(bare,)) == (
        "The listing gives the weight of **Aurora Merino T-Shirt** as 0.35 (no unit given)."
    )
    assert answer("How long is it?", hits=(bare,)) == (
        "**Aurora Merino T-Shirt** measures length 30 (the listing gives no unit)."
    )


def test_it_says_plainly_when_the_listing_does_not_give_an_attribute() -> None:
    bare = dataclasses.replace(MERINO_TEE, weight=None, dimensions={}, attributes={}, snippets=())
    hits = (bare, RAIN_JACKET)
    assert answer("How much does it weigh?", hits=hits).startswith(
        "The listing doesn't give the weight of **Aurora Merino T-Shirt**."
    )
    assert answer("How big is it?", hits=hits).startswith(
        "The listing doesn't give the dimensions of **Aurora Merino T-Shirt**."
    )
    # The description is quoted when it gives what the fields do not.
    described = dataclasses.replace(bare, snippets=("It weighs only 200 grams.",))
    assert '"It weighs only 200 grams."' in answer("How heavy is it?", hits=(described,))


def test_reviews_are_summarised_with_count_average_and_a_quote() -> None:
    text = answer("What do people say about it?")
    assert text.startswith("**Aurora Merino T-Shirt** has 2 reviews, averaging 4.5 out of 5.")
    assert 'One shopper wrote: "' in text
    warm = answer("Is it any good for cold mornings? What do the reviews say?")
    assert '"Soft and warm on cold mornings."' in warm
    none = dataclasses.replace(MERINO_TEE, snippets=(), average_rating=None, rating_count=0)
    assert answer("How are the reviews?", hits=(none,)) == (
        "**Aurora Merino T-Shirt** has no reviews yet."
    )


def test_a_named_product_is_confirmed_with_its_live_facts() -> None:
    assert answer("Do you have the Merino Wool Socks?", page=None) == (
        "Yes, we sell **Merino Wool Socks**. It's $15.00 and in stock."
    )


def test_variant_answers_pass_the_guardrails_untouched() -> None:
    for question in (
        "Is it in stock in sky blue, size XS?",
        "How much is the red one? I mean Rust Red",
        "How much is this?",
    ):
        text = answer(question)
        assert check_answer(text, HITS, currency="USD").text == text, question


def test_a_simple_products_options_carry_its_own_facts() -> None:
    mug = product("Camp Mug", "9.00", attributes={"Colour": ("Sage", "Black")})
    assert answer("Does the camp mug come in sage?", hits=(mug,), page=None) == (
        "**Camp Mug** comes in Sage. It's $9.00 and in stock."
    )
    assert Decimal("9.00") == mug.price


def test_a_store_question_beside_a_named_product_answers_both() -> None:
    text = answer(
        "Any discount codes? Also, have you got the Merino Wool Socks and what do they cost?",
        page=None,
    )
    product_part, store_part = text.split("\n\n")
    assert product_part == "**Merino Wool Socks** is $15.00 and in stock."
    assert store_part.startswith("I don't have the discount codes")


def test_a_shoppers_answer_in_the_products_text_is_quoted_whole() -> None:
    playhouse = product(
        "Product B001PGP34G",
        None,
        external_id="77",
        snippets=(
            "Specifications\n\n- material: plastic\n\nWhat customers say\n\n"
            "- i love that it is made in the u.s.a. as well.\n"
            "- my kids play in it every day, rain or shine.",
        ),
    )
    page = PageContext(url=None, product_id="77")
    text = answer("where is this playhouse made? made in...?", hits=(playhouse,), page=page)
    assert '"i love that it is made in the u.s.a. as well."' in text
    # "or the kid" is no comparison of two products: still about the page's product.
    ride = answer("does this work with remote control or the kid has to drive it?")
    assert ride.startswith("The description of **Aurora Merino T-Shirt**")
