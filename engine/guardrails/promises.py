"""Removal of promises (discounts, codes, free shipping...) the store's policies do not make."""

from __future__ import annotations

import re

from engine.guardrails.results import Correction, GuardrailResult
from engine.guardrails.spans import sentence_spans, tidy

_PROMISE_PATTERNS: tuple[tuple[re.Pattern[str], re.Pattern[str] | None], ...] = (
    # (claim in the answer, what the policies must contain for it to stand; None = never)
    (
        re.compile(r"\bfree (shipping|delivery)\b|\bships? (for )?free\b", re.I),
        re.compile(r"\bfree\b.{0,40}\b(ship|deliver)|\b(ship|deliver)\w*.{0,40}\bfree\b", re.I),
    ),
    (
        re.compile(r"\bfree returns?\b|\breturns? (are|is) free\b", re.I),
        re.compile(r"\bfree\b.{0,30}\breturn|\breturn\w*.{0,40}\bfree\b", re.I),
    ),
    (re.compile(r"\bprice[- ]match\w*\b", re.I), re.compile(r"\bprice[- ]match", re.I)),
    (
        re.compile(r"\bmoney[- ]back\b|\blifetime warranty\b|\bbuy one,? get one\b|\bbogo\b", re.I),
        None,
    ),
    (
        re.compile(
            r"\b(I|we)('ll| will| can| could)\s+(give|offer|apply|add|throw in|waive)\b", re.I
        ),
        None,
    ),
)
_PERCENT_OFF_RE = re.compile(r"\b(\d{1,2})\s?(%|percent)\s*(off|discount)?", re.I)
_CODE_RE = re.compile(
    r"\b(?:coupon|promo|discount|voucher)(?: code)?\s*:?\s*[\"'“]?([A-Z0-9][A-Z0-9_-]{3,})\b"
    r"|\b(?:use|enter|apply) (?:the )?code\s*[\"'“]?([A-Z0-9][A-Z0-9_-]{3,})\b"
)


def _promise_unapproved(sentence: str, policies_text: str) -> bool:
    policies_lower = policies_text.lower()
    for percent in _PERCENT_OFF_RE.finditer(sentence):
        if percent.group(3) and f"{percent.group(1)}%" not in policies_lower.replace(" %", "%"):
            return True
    for code in _CODE_RE.finditer(sentence):
        value = code.group(1) or code.group(2)
        if value.lower() not in policies_lower:
            return True
    for claim, approval in _PROMISE_PATTERNS:
        if claim.search(sentence) and (approval is None or not approval.search(policies_text)):
            return True
    return False


def makes_promise(text: str) -> bool:
    """Whether `text` promises anything at all (approved by the policies or not)."""
    return _promise_unapproved(text, "")


def strip_unapproved_promises(answer: str, policies_text: str) -> GuardrailResult:
    """Removes sentences promising discounts, codes, free shipping/returns, guarantees or
    favours that the merchant's policies do not state."""
    kept: list[str] = []
    corrections: list[Correction] = []
    cursor = 0
    for start, end in sentence_spans(answer):
        kept.append(answer[cursor:start])
        cursor = end
        sentence = answer[start:end]
        if _promise_unapproved(sentence, policies_text):
            corrections.append(Correction("promise", sentence.strip(), ""))
        else:
            kept.append(sentence)
    kept.append(answer[cursor:])
    if not corrections:
        return GuardrailResult(answer)
    return GuardrailResult(tidy("".join(kept)), tuple(corrections))
