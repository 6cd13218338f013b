"""Which messages ask for a person (engine.handoff): six languages, and product questions
that merely contain the words are not requests."""

from __future__ import annotations

import pytest

from engine.handoff import asks_for_person, person_requested_reply
from engine.types import BusinessProfile


@pytest.mark.parametrize(
    "message",
    [
        "talk to a human",
        "Can I speak with someone from customer support?",
        "I want a real person",
        "connect me to an agent",
        "customer service please",
        "Quiero hablar con alguien",
        "¿Tienen atención al cliente?",
        "Puis-je parler à quelqu’un ?",
        "service client",
        "Ich möchte mit einem Menschen sprechen",
        "Wie erreiche ich den Kundenservice?",
        "vorrei parlare con qualcuno",
        "servizio clienti",
        "Posso falar com alguém?",
        "atendimento ao cliente",
    ],
)
def test_requests_for_a_person(message: str) -> None:
    assert asks_for_person(message)


@pytest.mark.parametrize(
    "message",
    [
        "Do you sell human hair wigs?",
        "Is this tent big enough for a person and a dog?",
        "which jacket would a support worker like?",
        "does the agent-based cleaner work on cast iron?",
        "¿Es apto para una persona alta?",
        "",
    ],
)
def test_product_questions_are_not_requests(message: str) -> None:
    assert not asks_for_person(message)


def test_the_reply_names_the_store_and_its_contact() -> None:
    with_email = person_requested_reply(BusinessProfile(name="Peak", support_email="a@peak.test"))
    assert "Peak" in with_email and "a@peak.test" in with_email
    without = person_requested_reply(BusinessProfile(name="Peak"))
    assert "contact the store" in without
