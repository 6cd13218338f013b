"""The engine's refusals, in every language it speaks, are what the refusal metric reads as
refusals (evals.answers.metrics.behaviour), and its policy answers are not."""

from __future__ import annotations

import pytest

from engine.guardrails import injection_refusal, out_of_scope_reply
from engine.language import SUPPORTED_LANGUAGES
from engine.offline.store_questions import answer_from_policies
from engine.types import BusinessProfile
from evals.answers.metrics.behaviour import is_refusal


@pytest.mark.parametrize("language", SUPPORTED_LANGUAGES)
def test_refusals_read_as_refusals(language: str) -> None:
    assert is_refusal(out_of_scope_reply("Fjord & Field", language), [])
    assert is_refusal(injection_refusal("Fjord & Field", language), [])


@pytest.mark.parametrize("language", SUPPORTED_LANGUAGES)
def test_policy_answers_are_not_refusals(language: str) -> None:
    profile = BusinessProfile(
        name="Fjord & Field",
        shipping_policy="Free standard shipping on orders over $75; otherwise $6.95.",
        returns_policy="Unworn items can be returned within 30 days for a full refund.",
    )
    for topic, question in (("shipping", "$40?"), ("returns", "after 40 days?")):
        answer = answer_from_policies([topic], profile, question, language)
        assert answer is not None and not is_refusal(answer, []), (language, answer)
