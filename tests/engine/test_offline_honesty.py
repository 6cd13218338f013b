"""Honesty: what the store does not sell is said plainly BEFORE any alternative, and what
it sells is never denied."""

from __future__ import annotations

from engine.offline import compose_grounded_answer
from engine.offline.honesty import asked_thing, not_sold
from engine.types import Grounding, ProductHit
from tests.engine._catalogue import HIKING_BOOTS, RAIN_JACKET, WOOL_SOCKS, product

FOXES = (
    product("Bergen Plush Fox", "54.00", categories=("Toys",)),
    product("Cedar Plush Fox", "7.50", categories=("Toys",)),
    product("Marée Kite", "20.00", categories=("Toys",)),
)
GEAR = (RAIN_JACKET, HIKING_BOOTS, WOOL_SOCKS)


def answer(question: str, hits: tuple[ProductHit, ...] = GEAR) -> str:
    return compose_grounded_answer(Grounding(question=question, hits=hits))


def test_a_category_the_store_does_not_sell_is_said_plainly_with_no_unrelated_list() -> None:
    text = answer("Do you sell kayaks?")
    assert text == "Sorry, we don't sell kayaks here."
    assert "Here's what I found" not in answer("Have you got any kayaks for kids?")


def test_a_named_product_not_sold_is_denied_before_the_really_close_ones() -> None:
    text = answer("Do you still have the Ærø Plush Fox?", hits=FOXES)
    first, *listed = text.splitlines()
    assert first == "Sorry, we don't sell the Ærø Plush Fox here. Closest we have:"
    assert [line.split("**")[1] for line in listed] == ["Bergen Plush Fox", "Cedar Plush Fox"]
    assert "Kite" not in text  # not close: another kind of toy
    # A brand nothing retrieved carries: no alternative at all.
    assert answer("Have you got the Nike Air Max?") == "Sorry, we don't sell the Nike Air Max here."


def test_a_longer_name_than_a_title_is_not_that_product() -> None:
    tee = product("Brisa Organic Cotton Tee", "26.00")
    text = answer("Do you have the Brisa Organic Cotton Tee Classic?", hits=(tee,))
    assert text.startswith("Sorry, we don't sell the Brisa Organic Cotton Tee Classic here.")
    assert answer("Do you have the Brisa Organic Cotton Tee?", hits=(tee,)).startswith(
        "Yes, we sell **Brisa Organic Cotton Tee**."
    )


def test_what_the_store_sells_is_never_denied() -> None:
    for question, hits in [
        ("Do you sell a plush fox?", FOXES),
        ("Do you sell rain jackets?", GEAR),
        ("Do you have anything waterproof?", GEAR),
        ("Do you sell merino socks for hiking?", GEAR),
        ("I need hiking boots, what do you have?", GEAR),
        ("Do you sell the Cedar Plush Fox?", FOXES),
        ("Is the Blue Rain Jacket something you carry? How much is it?", GEAR),
        ("¿Tienen el Bergen Plush Fox?", FOXES),
    ]:
        text = answer(question, hits)
        assert "don't sell" not in text, question
        assert not_sold(question, hits) is None, question


def test_the_thing_asked_for_is_read_from_the_question() -> None:
    assert asked_thing("Do you sell kayaks?") == ("kayaks", "kayaks")
    assert asked_thing("Have you got the Nike Air Max and what does it cost?") == (
        "the Nike Air Max",
        "Nike Air Max",
    )
    assert asked_thing("Busco el Ærø Plush Fox, ¿lo venden?") == ("Ærø Plush Fox", "Ærø Plush Fox")
    # Not a thing: a pronoun, a place in the shop, a bare "anything".
    for question in (
        "Can I get it right away?",
        "What can I get in Outdoor for less than $20?",
        "¿Lo tienen en stock?",
        "Do you have anything?",
    ):
        assert asked_thing(question) is None, question
