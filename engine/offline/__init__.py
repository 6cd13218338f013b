"""Offline answering: replies composed from the retrieved facts by rules, with no model.

What `shopbot demo`, the tests and a bot without a model key answer with, and what a bot
whose model failed before its first token falls back to. The rules can only say what the
facts say: prices and stock come from the hits' live fields, descriptions are quoted, and
a question the facts do not answer gets "I don't know" rather than a guess.

- grounded_answer.py: the decision order, product lists and documents
- subject.py: which product a question is about (named, on the page, or one strong hit)
- product_answer.py: the answer about one product, in its order of questions:
  variants.py (a variation's own facts, options), attributes.py (weight, dimensions,
  material), reviews.py, evidence.py (the sentences of its text that answer)
- honesty.py: "we don't sell that" before any (really close) alternative
- questions.py: what a question asks for (price, stock, options, weight, reviews, ...)
- wording.py, phrases/: every sentence, by language
- store_questions.py: questions about the store (shipping, returns, payment, hello)
- provider.py: the answerer behind the `engine.llm.base.LLMProvider` interface
"""

from __future__ import annotations

from engine.offline.grounded_answer import NOTHING_FOUND, compose_grounded_answer
from engine.offline.provider import OFFLINE_MODEL, OfflineGroundedAnswerer

__all__ = ["NOTHING_FOUND", "OFFLINE_MODEL", "OfflineGroundedAnswerer", "compose_grounded_answer"]
