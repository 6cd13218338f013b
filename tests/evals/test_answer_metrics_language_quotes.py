"""language_match judges the answer's own words, not the merchant's text it quotes.

The defect this shows: an answer that frames the store's English policy in Italian
('Hai 30 giorni per restituire un articolo. La nostra politica sui resi: "Unworn items can
be returned within 30 days for a full refund."') was scored English, because the quoted
policy outweighed the sentence around it. The issue asks for templates around catalogue text
quoted as written, so the quote says nothing about the reply's language (like a title).
"""

from __future__ import annotations

import pytest

from evals.answers.metrics import score_turn
from tests.support.answer_catalogue import demo_catalogue, result, turn

CATALOGUE = demo_catalogue()
POLICY = "Unworn items can be returned within 30 days for a full refund."

QUOTING_CASES = [
    (f'Hai 30 giorni per restituire un articolo. La nostra politica sui resi: "{POLICY}"', "it"),
    (f"Sie haben 30 Tage Zeit. Unsere Rückgabebedingungen: „{POLICY}“", "de"),
    (f"Vous avez 30 jours pour retourner un article. Notre politique : « {POLICY} »", "fr"),
    (f'You have 30 days. Our returns policy: "{POLICY}"', "en"),
]


@pytest.mark.parametrize(("answer", "language"), QUOTING_CASES)
def test_quoted_store_text_does_not_decide_the_language(answer: str, language: str) -> None:
    assert score_turn(turn(language=language), result(answer), CATALOGUE)["language_match"] == 1
    other = "en" if language != "en" else "it"
    assert score_turn(turn(language=other), result(answer), CATALOGUE)["language_match"] == 0


def test_an_answer_that_is_only_a_quote_is_judged_on_the_quote() -> None:
    answer = f'"{POLICY}"'
    assert score_turn(turn(language="en"), result(answer), CATALOGUE)["language_match"] == 1
    assert score_turn(turn(language="it"), result(answer), CATALOGUE)["language_match"] == 0
