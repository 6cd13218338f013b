"""Removal of system-prompt leaks from an answer."""

from __future__ import annotations

from engine.guardrails.spans import sentence_spans, tidy
from engine.prompts.text import words

LEAK_SHINGLE_WORDS = 8
FRAGMENT_SHINGLE_WORDS = 4
# Past this share of its four-word runs, what is left of an answer is the prompt in pieces.
FRAGMENT_RATIO = 0.3
LEAK_REFUSAL = (
    "I can't share how I'm set up, but I'm happy to help you find something in the store."
)


def _shingles(text: str, size: int = LEAK_SHINGLE_WORDS) -> set[tuple[str, ...]]:
    tokens = words(text)
    return {tuple(tokens[i : i + size]) for i in range(len(tokens) - size + 1)}


class LeakScrubber:
    """The leak check for one system prompt, its word runs counted once (an answer is
    checked sentence by sentence while it streams, then whole)."""

    def __init__(self, system_prompt: str, *, public_text: str = "") -> None:
        self._secret = _shingles(system_prompt) - _shingles(public_text)
        self._public_runs = _shingles(public_text, FRAGMENT_SHINGLE_WORDS)
        self._fragments = _shingles(system_prompt, FRAGMENT_SHINGLE_WORDS) - self._public_runs

    def scrub(self, answer: str) -> str:
        """Removes sentences that repeat eight or more consecutive words of the system
        prompt (but for the public text, the greeting, the store's facts and its policies,
        which may be quoted);
        LEAK_REFUSAL when nothing else is left, or what is left is the prompt in pieces."""
        left = self.remove_leaks(answer)
        if left is None or (left != answer and not left):
            return LEAK_REFUSAL
        return left

    def remove_leaks(self, answer: str) -> str | None:
        """`answer` without its leaking sentences ("" when none is left); None when what is
        left is still mostly the prompt in pieces, and the answer must be refused."""
        if not self._secret:
            return answer
        kept: list[str] = []
        cursor = 0
        removed = False
        for start, end in sentence_spans(answer):
            kept.append(answer[cursor:start])
            cursor = end
            sentence = answer[start:end]
            if _shingles(sentence) & self._secret:
                removed = True
            else:
                kept.append(sentence)
        kept.append(answer[cursor:])
        if not removed:
            return answer
        # A sentence-split leak ("Rules: 1. Answer only…") can survive as fragments; if what
        # is left still overlaps heavily, refuse outright.
        remaining = tidy("".join(kept))
        return None if remaining and self.fragment_ratio(remaining) > FRAGMENT_RATIO else remaining

    def fragment_ratio(self, text: str) -> float:
        """The share of `text`'s four-word runs that are the prompt's own. Runs of the public
        text count neither way: quoting it is no leak, and it does not dilute one either."""
        small = _shingles(text, FRAGMENT_SHINGLE_WORDS) - self._public_runs
        return len(small & self._fragments) / len(small) if small else 0.0


def scrub_system_prompt_leak(answer: str, system_prompt: str, *, public_text: str = "") -> str:
    """`LeakScrubber(system_prompt, public_text=…).scrub(answer)`, for one answer."""
    return LeakScrubber(system_prompt, public_text=public_text).scrub(answer)
