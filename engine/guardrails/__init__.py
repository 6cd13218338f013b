"""Checks on the model's answer before it reaches the shopper.

Shoppers complain most about bots that invent prices and stock (DESIGN.md). The prompt asks
the model to quote live facts from numbered sources; `check_answer` verifies that it did:
every price or stock claim is attributed to a product (a "[n]" citation or the product's
name in the same sentence, else the product named earlier on the same line, else the only
product) and corrected from that product's live fields. A price claim that cannot be
attributed and matches no product or policy figure is removed with its sentence.

One module per check: `facts` (price and stock claims), `scope` and `injection` (off-topic
requests and prompt injection, cheap heuristics), `leaks` (system-prompt leaks) and `promises`
(discounts, codes, free shipping... that the merchant's policies do not make). `AnswerGuard`
runs all of them on one answer, on each finished sentence as it streams and on the whole.
"""

from engine.guardrails.answer_guard import AnswerGuard
from engine.guardrails.facts import check_answer
from engine.guardrails.injection import (
    ScreenedMessage,
    detect_prompt_injection,
    injection_refusal,
    screen_injection,
)
from engine.guardrails.leaks import LEAK_REFUSAL, LeakScrubber, scrub_system_prompt_leak
from engine.guardrails.promises import strip_unapproved_promises
from engine.guardrails.results import Correction, CorrectionKind, GuardrailResult
from engine.guardrails.scope import is_out_of_scope, out_of_scope_reply

__all__ = [
    "LEAK_REFUSAL",
    "AnswerGuard",
    "Correction",
    "CorrectionKind",
    "GuardrailResult",
    "LeakScrubber",
    "ScreenedMessage",
    "check_answer",
    "detect_prompt_injection",
    "injection_refusal",
    "is_out_of_scope",
    "out_of_scope_reply",
    "screen_injection",
    "scrub_system_prompt_leak",
    "strip_unapproved_promises",
]
