"""All the checks on one answer, with the facts it was asked with.

The answer service builds one `AnswerGuard` per answer and runs it on every prefix of the
model's text that ends a sentence while the answer streams (engine.streaming), then on the
whole answer: the same facts (the products in the prompt, the merchant's policies, the
shopper's question, the system prompt) decide both, so what the shopper is shown as it
streams is what the final check keeps.

A refusal is final: once a prefix is refused as a leak (what is left of it is the prompt in
pieces), every later check refuses too. Text that follows a leak only dilutes the prompt's
share of the answer; it must not turn the refusal the shopper was shown back into the
fragments. A prefix whose every sentence leaked is just empty (nothing to show yet), so a
leaking first sentence neither flashes the refusal nor condemns the answer after it.
"""

from __future__ import annotations

from collections.abc import Sequence

from engine.guardrails.facts import check_answer, makes_fact_claims
from engine.guardrails.leaks import FRAGMENT_RATIO, LEAK_REFUSAL, LeakScrubber
from engine.guardrails.promises import makes_promise, strip_unapproved_promises
from engine.types import ProductHit


class AnswerGuard:
    def __init__(
        self,
        hits: Sequence[ProductHit],
        *,
        currency: str,
        policies_text: str,
        question: str,
        system_prompt: str,
        public_text: str,
    ) -> None:
        """`hits`: the prompt's product sources, in their numbering. `public_text`: the parts
        of the system prompt an answer may quote (engine.prompts.system_prompt.quotable_texts:
        the greeting, the store's website and contact, the policies)."""
        self._hits = tuple(hits)
        self._currency = currency
        self._policies_text = policies_text
        # Figures the merchant's policies state, and figures the shopper stated ("under
        # $30"), may be repeated without being attributed to a product.
        self._allowed_figures = f"{policies_text}\n{question}"
        self._leaks = LeakScrubber(system_prompt, public_text=public_text)
        self._refused = False

    def check(self, raw: str) -> str:
        """Prices and stock corrected, unapproved promises and prompt leaks removed; "" when
        nothing is left (the caller decides what to say instead); LEAK_REFUSAL from the first
        refused prefix on."""
        if self._refused:
            return LEAK_REFUSAL
        checked = check_answer(
            raw, self._hits, currency=self._currency, policy_text=self._allowed_figures
        ).text
        checked = strip_unapproved_promises(checked, self._policies_text).text
        left = self._leaks.remove_leaks(checked)
        if left is None:
            self._refused = True
            return LEAK_REFUSAL
        return left.strip()

    def settled(self, clause: str) -> bool:
        """Whether the start of a sentence can be shown before the sentence ends: it claims
        no price or stock (which later words may attribute to another product or get removed
        with their sentence), promises nothing and quotes no run of the system prompt."""
        return (
            not makes_fact_claims(clause, self._currency)
            and not makes_promise(clause)
            and self._leaks.fragment_ratio(clause) == 0.0
        )

    def prompt_like(self, text: str) -> bool:
        """Whether `text` is mostly runs of the system prompt: too short to be a leak on its
        own, but the final check may refuse the whole answer over it, so it waits."""
        return self._leaks.fragment_ratio(text) > FRAGMENT_RATIO
