"""Questions about the store in six languages: recognised, answered in the shopper's
language from the merchant's own policy (quoted as written), and applied to the figure the
question names."""

from __future__ import annotations

import pytest

from engine.offline.grounded_answer import compose_grounded_answer
from engine.offline.store_questions import is_greeting, policy_topics
from engine.types import BusinessProfile, Grounding

SHIPPING = (
    "Free standard shipping on orders over $75; otherwise $6.95. "
    "Orders ship within 2 business days."
)
RETURNS = "Unworn items can be returned within 30 days for a full refund."
PROFILE = BusinessProfile(
    name="Fjord & Field",
    support_email="help@fjord.example",
    shipping_policy=SHIPPING,
    returns_policy=RETURNS,
)


def _answer(question: str, language: str = "en") -> str:
    return compose_grounded_answer(Grounding(question=question, profile=PROFILE, language=language))


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("¿Cuánto cuesta el envío?", "shipping"),
        ("Combien coûte la livraison ?", "shipping"),
        ("Wie hoch sind die Versandkosten?", "shipping"),
        ("Quanto costa la spedizione?", "shipping"),
        ("Quanto custa o frete?", "shipping"),
        ("How many days do I have to send an item back?", "returns"),
        ("¿Cómo es la devolución?", "returns"),
        ("Puis-je retourner un article ?", "returns"),
        ("Kann ich einen Artikel zurückgeben?", "returns"),
        ("Posso fare un reso?", "returns"),
        ("Como funciona a devolução?", "returns"),
        ("¿Puedo pagar con tarjeta de crédito?", "payment"),
        ("Gibt es eine Garantie?", "warranty"),
        ("Avez-vous un code promo ?", "discounts"),
        ("Posso falar com uma pessoa?", "person"),
    ],
)
def test_store_topics_are_recognised_in_six_languages(question: str, topic: str) -> None:
    assert policy_topics(question) == [topic]


def test_greetings_in_six_languages() -> None:
    for greeting in ("Hi!", "Hola", "Bonjour", "Guten Tag", "Ciao!", "Olá"):
        assert is_greeting(greeting), greeting
    assert not is_greeting("Hola, ¿tienen botas?")


def test_a_policy_is_quoted_as_written_in_the_shoppers_language() -> None:
    answer = _answer("¿Cuánto cuesta el envío?", "es")
    assert answer.startswith("El envío es gratis en pedidos de más de $75; si no, cuesta $6.95.")
    assert f'"{SHIPPING}"' in answer
    german = _answer("Kann ich einen Artikel zurückgeben, wenn er nicht passt?", "de")
    assert german.startswith("Sie haben 30 Tage Zeit")
    assert f'"{RETURNS}"' in german


def test_shipping_is_applied_to_the_amount_asked_about() -> None:
    not_free = _answer("If I spend $40, do I pay for delivery?")
    assert not_free.startswith(
        "On a $40 order shipping isn't free: it's free on orders over $75, otherwise $6.95."
    )
    free = _answer("Is shipping free on a $90 order?")
    assert free.startswith("Yes, a $90 order ships free")
    french = _answer("La livraison est-elle offerte pour une commande de 60 € ?", "fr")
    assert french.startswith("Pour une commande de 60 €, la livraison n'est pas offerte")


def test_returns_are_applied_to_the_days_asked_about() -> None:
    assert _answer("Can I return it after 40 days?").startswith(
        "No, I'm afraid: 40 days is past our 30-day returns window."
    )
    assert _answer("Can I still return it 3 weeks after delivery?").startswith(
        "Yes: 21 days is within our 30-day returns window."
    )
    assert _answer("¿Puedo devolverlo después de 45 días?", "es").startswith(
        "Lo siento, no: 45 días supera nuestro plazo de devolución de 30 días."
    )


def test_a_policy_worded_without_figures_is_quoted_only() -> None:
    profile = BusinessProfile(name="Shop", returns_policy="Returns are accepted at our discretion.")
    grounding = Grounding(question="Can I return it after 40 days?", profile=profile)
    answer = compose_grounded_answer(grounding)
    assert answer == 'Our returns policy: "Returns are accepted at our discretion."'


def test_a_policy_the_store_does_not_state_gets_its_contact_in_the_shoppers_language() -> None:
    answer = _answer("¿Puedo pagar con PayPal?", "es")
    assert answer == (
        "No tengo aquí las formas de pago de Fjord & Field, así que prefiero no adivinar. "
        "Por favor, consulta con la tienda en help@fjord.example; ellos conocen los detalles."
    )


def test_a_policy_written_in_the_stores_own_language_is_applied_too() -> None:
    spanish = BusinessProfile(
        name="Tienda",
        shipping_policy="Envío gratis a partir de 50 €; si no, 4,95 €. Los pedidos salen en "
        "2 días hábiles.",
        returns_policy="Devoluciones en 30 días.",
    )
    answer = compose_grounded_answer(
        Grounding(
            question="¿El envío es gratis para un pedido de 40 €?", profile=spanish, language="es"
        )
    )
    assert answer.startswith(
        "En un pedido de 40 € el envío no es gratis: es gratis en pedidos de más de 50 €; "
        "si no, cuesta 4,95 €."
    )
    returns = compose_grounded_answer(
        Grounding(question="Can I return it after 45 days?", profile=spanish, language="en")
    )
    assert returns.startswith("No, I'm afraid: 45 days is past our 30-day returns window.")


def test_a_flat_shipping_fee_is_stated() -> None:
    flat = BusinessProfile(name="Shop", shipping_policy="Standard shipping costs $5.")
    answer = compose_grounded_answer(Grounding(question="How much is shipping?", profile=flat))
    assert answer == 'Shipping costs $5. Our shipping policy: "Standard shipping costs $5."'
