"""Removal of system-prompt leaks from an answer."""

from __future__ import annotations

from engine.guardrails.spans import sentence_spans, tidy
from engine.prompts.text import words

LEAK_SHINGLE_WORDS = 8
LEAK_REFUSAL = (
    "I can't share how I'm set up, but I'm happy to help you find something in the store."
)


def _shingles(text: str, size: int = LEAK_SHINGLE_WORDS) -> set[tuple[str, ...]]:
    tokens = words(text)
    return {tuple(tokens[i : i + size]) for i in range(len(tokens) - size + 1)}


def scrub_system_prompt_leak(answer: str, system_prompt: str, *, public_text: str = "") -> str:
    """Removes sentences that repeat eight or more consecutive words of the system prompt.
    `public_text` (the merchant's policies) may be quoted freely even though it is part of
    the system prompt."""
    secret = _shingles(system_prompt) - _shingles(public_text)
    if not secret:
        return answer
    kept: list[str] = []
    cursor = 0
    removed = False
    for start, end in sentence_spans(answer):
        kept.append(answer[cursor:start])
        cursor = end
        sentence = answer[start:end]
        if _shingles(sentence) & secret:
            removed = True
        else:
            kept.append(sentence)
    kept.append(answer[cursor:])
    if not removed:
        return answer
    # A sentence-split leak ("Rules: 1. Answer only…") can survive as fragments; if what is
    # left still overlaps heavily, refuse outright.
    remaining = tidy("".join(kept))
    if not remaining or _leak_ratio(remaining, system_prompt, public_text) > 0.3:
        return LEAK_REFUSAL
    return remaining


def _leak_ratio(text: str, system_prompt: str, public_text: str) -> float:
    small = _shingles(text, 4)
    secret = _shingles(system_prompt, 4) - _shingles(public_text, 4)
    return len(small & secret) / len(small) if small else 0.0
