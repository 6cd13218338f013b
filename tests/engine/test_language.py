"""The shopper's language: detected per message, product names aside, with fallbacks."""

from __future__ import annotations

import pytest

from engine.language import OTHER, answer_language, detect_language
from engine.types import Turn


@pytest.mark.parametrize(
    ("message", "language"),
    [
        ("Busco el Ærø Noise-Cancelling Headphones, ¿lo venden?", "es"),
        ("Je cherche le Tundra Noise-Cancelling Headphones, vous l'avez ?", "fr"),
        ("Ich suche den Artikel Ember Linen Duvet Cover. Haben Sie den?", "de"),
        ("Cerco l'articolo Café Crème Action Camera Lite, ce l'avete?", "it"),
        ("Vocês vendem o Fjällräv Stainless Steel Saucepan? Quanto custa?", "pt"),
        # An English question naming products with Spanish or French words is English.
        ("Do you sell the Señorita Wool Slipper Edition 2?", "en"),
        ("Is the Café Crème Action Camera Lite in stock?", "en"),
        ("¿Y cuánto cuesta?", "es"),
        ("Et il coûte combien ?", "fr"),
        ("Ist er auf Lager?", "de"),
        ("È disponibile?", "it"),
        ("Está em estoque?", "pt"),
        ("OK. And returns?", "en"),
    ],
)
def test_the_language_of_a_message(message: str, language: str) -> None:
    assert detect_language(message) == language


def test_product_titles_are_left_out_of_the_detection() -> None:
    # Without the title this is "Trailhead Eau de Parfum?": nothing left to tell by.
    assert detect_language("Trailhead Eau de Parfum?", ("Trailhead Eau de Parfum",)) is None


def test_a_message_that_does_not_say_keeps_the_conversations_language() -> None:
    history = [Turn("user", "¿Tienen zapatillas para correr?"), Turn("assistant", "Sí: ...")]
    choice = answer_language("XS?", history, policy="match_shopper", business_language="de")
    assert (choice.shopper, choice.reply) == ("es", "es")
    fresh = answer_language("XS?", [], policy="match_shopper", business_language="de")
    assert (fresh.shopper, fresh.reply) == ("de", "de")


def test_the_bots_policy_decides_the_reply_language() -> None:
    message = "Combien coûte la livraison pour une commande de 40 dollars ?"
    matched = answer_language(message, [], policy="match_shopper", business_language="en")
    assert (matched.reply, matched.instruction_language) == ("fr", "fr")
    business = answer_language(message, [], policy="business_language", business_language="de")
    assert (business.shopper, business.reply, business.instruction_language) == ("fr", "de", "de")


def test_a_language_without_templates_is_other_and_the_model_is_told_to_match_it() -> None:
    message = "Hoeveel kost de verzending naar Amsterdam als ik vandaag bestel?"
    assert detect_language(message) == OTHER
    choice = answer_language(message, [], policy="match_shopper", business_language="en")
    assert (choice.shopper, choice.reply, choice.instruction_language) == (OTHER, "en", None)


@pytest.mark.parametrize(
    "message", ["guess18@example.com", "It's under ines.brown14@example.com", "https://x.example/p"]
)
def test_an_email_address_or_a_link_says_no_language(message: str) -> None:
    assert detect_language(message) in {None, "en"}
