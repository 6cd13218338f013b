"""Offline answering: replies composed from the retrieved facts by rules, with no model.

What `shopbot demo`, the tests and a bot without a model key answer with, and what a bot
whose model failed before its first token falls back to. The rules can only say what the
facts say: prices and stock come from the hits' live fields, descriptions are quoted, and
a question the facts do not answer gets "I don't know" rather than a guess.

- grounded_answer.py: the decision order and the answers about products and documents
- store_questions.py: questions about the store (shipping, returns, payment, hello)
- provider.py: the answerer behind the `engine.llm.base.LLMProvider` interface
"""

from __future__ import annotations

from engine.offline.grounded_answer import NOTHING_FOUND, compose_grounded_answer
from engine.offline.provider import OFFLINE_MODEL, OfflineGroundedAnswerer

__all__ = ["NOTHING_FOUND", "OFFLINE_MODEL", "OfflineGroundedAnswerer", "compose_grounded_answer"]
