"""Checks on the model's answer before it reaches the shopper.

Shoppers complain most about bots that invent prices and stock (DESIGN.md). The prompt asks
the model to quote live facts from numbered sources; `check_answer` verifies that it did:
every price or stock claim is attributed to a product (a "[n]" citation or the product's
name in the same sentence, else the product named earlier on the same line, else the only
product) and corrected from that product's live fields. A price claim that cannot be
attributed and matches no product or policy figure is removed with its sentence.

Also here: cheap heuristics for off-topic requests and prompt injection, removal of
system-prompt leaks, and removal of promises (discounts, codes, free shipping...) that the
merchant's policies do not make.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Literal

from engine.prompts.text import format_money, sentences, words
from engine.types import ProductHit, format_price

CorrectionKind = Literal["price", "stock", "removed_sentence", "promise", "leak"]


@dataclass(frozen=True, slots=True)
class Correction:
    kind: CorrectionKind
    original: str
    replacement: str  # "" when the sentence was removed
    product_id: uuid.UUID | None = None


@dataclass(frozen=True, slots=True)
class GuardrailResult:
    text: str
    corrections: tuple[Correction, ...] = ()

    @property
    def changed(self) -> bool:
        return bool(self.corrections)


# -- sentences as spans of the original text ------------------------------------------------

_SPAN_END_RE = re.compile(r"(?<!\d)[.!?]+(?=\s|$)|(?<=\d)[.!?]+(?=\s+[A-Z\"'(*\[]|\s*$)|\n")


def _sentence_spans(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for match in _SPAN_END_RE.finditer(text):
        if text[start : match.end()].strip():
            spans.append((start, match.end()))
        start = match.end()
    if text[start:].strip():
        spans.append((start, len(text)))
    return spans


def _tidy(text: str) -> str:
    text = re.sub(r"[ \t]{2,}", " ", text)
    text = re.sub(r"[ \t]+\n", "\n", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


# -- which product a sentence talks about ---------------------------------------------------

_CITATION_RE = re.compile(r"\[(\d{1,2}(?:\s*,\s*\d{1,2})*)\]")


def _title_phrases(title: str) -> list[str]:
    """The title and its runs of two or more words, longest first ("Rain Jacket")."""
    tokens = title.lower().split()
    if len(tokens) == 1:
        return tokens
    return [
        " ".join(tokens[i : i + n])
        for n in range(len(tokens), 1, -1)
        for i in range(len(tokens) - n + 1)
    ]


def _mentions(sentence: str, hits: Sequence[ProductHit]) -> list[tuple[int, ProductHit]]:
    """(position, product) for every citation or name in the sentence."""
    found: list[tuple[int, ProductHit]] = []
    for match in _CITATION_RE.finditer(sentence):
        for number in match.group(1).split(","):
            index = int(number) - 1
            if 0 <= index < len(hits):  # numbers past the products are documents
                found.append((match.start(), hits[index]))
    lowered = sentence.lower()
    phrase_owners: dict[str, list[ProductHit]] = {}
    for hit in hits:
        for phrase in _title_phrases(hit.title):
            phrase_owners.setdefault(phrase, []).append(hit)
    for hit in hits:
        for phrase in _title_phrases(hit.title):
            if len(phrase_owners[phrase]) > 1:
                continue  # "rain jacket" when two titles contain it names neither
            position = re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", lowered)
            if position:
                found.append((position.start(), hit))
                break
    return sorted(found, key=lambda item: item[0])


def _attribute(
    position: int, mentions: list[tuple[int, ProductHit]], context: ProductHit | None
) -> ProductHit | None:
    before = [hit for pos, hit in mentions if pos <= position]
    if before:
        return before[-1]
    if mentions:
        return mentions[0][1]
    return context


# -- price claims ---------------------------------------------------------------------------

_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d{1,2})?|\d+(?:[.,]\d{1,2})?"
_CODES = r"USD|EUR|GBP|CAD|AUD|NZD|JPY|INR|CHF|SEK|NOK|DKK|PLN"
_PRICE_RE = re.compile(
    rf"(?P<sym>US\$|[$€£¥₹])\s?(?P<n1>{_NUM})"
    rf"|(?P<n2>{_NUM})\s?(?P<sym2>[€£$])"
    rf"|(?P<n3>{_NUM})\s?(?P<unit>{_CODES}|dollars?|bucks|euros?|pounds?|quid)\b"
    rf"|\b(?P<code0>{_CODES})\s?(?P<n0>{_NUM})",
    re.IGNORECASE,
)
_DOLLAR_CURRENCIES = {"USD", "CAD", "AUD", "NZD"}
_REGULAR_CUE_RE = re.compile(
    r"(was|regular(ly)?|originally|instead of|down from|reduced from|list price|usual(ly)?)\W*$",
    re.I,
)


@dataclass(frozen=True, slots=True)
class _PriceClaim:
    start: int
    end: int
    amount: Decimal
    currency: str
    code_style: bool


def _currency_of(mark: str, store_currency: str) -> str:
    mark = mark.lower()
    if mark in ("$", "dollar", "dollars", "bucks"):
        return store_currency if store_currency in _DOLLAR_CURRENCIES else "USD"
    if mark == "us$":
        return "USD"
    return {"€": "EUR", "euro": "EUR", "euros": "EUR", "£": "GBP", "pound": "GBP",
            "pounds": "GBP", "quid": "GBP", "¥": "JPY", "₹": "INR"}.get(mark, mark.upper())


def _parse_amount(raw: str) -> Decimal | None:
    if re.fullmatch(r"\d+,\d{1,2}", raw):  # 19,99 (decimal comma)
        raw = raw.replace(",", ".")
    try:
        return Decimal(raw.replace(",", ""))
    except InvalidOperation:
        return None


def _price_claims(sentence: str, store_currency: str) -> list[_PriceClaim]:
    claims = []
    for m in _PRICE_RE.finditer(sentence):
        raw = m.group("n1") or m.group("n2") or m.group("n3") or m.group("n0")
        mark = m.group("sym") or m.group("sym2") or m.group("unit") or m.group("code0")
        amount = _parse_amount(raw)
        if amount is None:
            continue
        code_style = bool(m.group("code0") or (m.group("unit") and m.group("unit").isupper()))
        claims.append(
            _PriceClaim(m.start(), m.end(), amount, _currency_of(mark, store_currency), code_style)
        )
    return claims


def _live_amounts(hit: ProductHit) -> set[Decimal]:
    return {p for p in (hit.price, hit.regular_price, hit.sale_price) if p is not None}


def _claim_is_true(claim: _PriceClaim, hit: ProductHit) -> bool:
    return claim.currency == hit.currency and any(
        abs(claim.amount - live) < Decimal("0.005") for live in _live_amounts(hit)
    )


def _price_text(amount: Decimal, currency: str, code_style: bool) -> str:
    return f"{format_price(amount)} {currency}" if code_style else format_money(amount, currency)


# -- stock claims ---------------------------------------------------------------------------

_NOT_USAGE = r"(?!\s+(?:in|for|on|at|with|from|as|to|sizes?|colou?rs?)\b)"
_STOCK_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("out", re.compile(
        r"\b(?P<verb>isn't|is not|aren't|are not)\s+(?:currently\s+)?(?:in stock|available)"
        + _NOT_USAGE, re.I)),
    ("out", re.compile(
        r"\bout[- ]of[- ]stock\b|\bsold[- ]out\b|\bunavailable\b|\bno longer available\b", re.I)),
    ("backorder", re.compile(r"\b(?:available )?on back-?order\b|\bback-?ordered\b", re.I)),
    ("quantity", re.compile(
        r"\b(?:only\s+)?(?P<qty>\d{1,5})\s+(?:left|remaining|(?:units?|pieces?|items?)?\s*"
        r"(?:left|in stock))\b", re.I)),
    ("in", re.compile(r"\bin[- ]stock\b", re.I)),
    ("in", re.compile(r"\bavailable\b" + _NOT_USAGE, re.I)),
)


def _actual_stock(hit: ProductHit) -> str:
    if hit.stock_status == "onbackorder":
        return "backorder"
    return "in" if hit.in_stock else "out"


def _stock_claims(sentence: str) -> list[tuple[int, int, str, re.Match[str]]]:
    taken: list[tuple[int, int]] = []
    claims = []
    for kind, pattern in _STOCK_PATTERNS:
        for m in pattern.finditer(sentence):
            if any(m.start() < end and start < m.end() for start, end in taken):
                continue  # "out of stock" also contains "stock"; the first reading wins
            taken.append((m.start(), m.end()))
            claims.append((m.start(), m.end(), kind, m))
    return sorted(claims)


def _stock_fix(kind: str, match: re.Match[str], hit: ProductHit) -> str | None:
    """The corrected phrase, or None when the claim is true."""
    actual = _actual_stock(hit)
    if kind == "quantity":
        claimed = int(match.group("qty"))
        if actual == "out":
            return "none left"
        if hit.stock_quantity is None:
            return "in stock" if actual == "in" else "available on backorder"
        if claimed == hit.stock_quantity:
            return None
        return match.group(0).replace(match.group("qty"), str(hit.stock_quantity), 1)
    if kind == actual or (kind == "in" and actual == "backorder" and "available" in match.group(0)):
        return None
    if actual == "backorder":
        return "available on backorder"
    if actual == "out":
        return "out of stock"
    verb = (match.groupdict().get("verb") or "").lower()
    prefix = "are " if verb.startswith("are") else "is " if verb else ""
    return prefix + "in stock"


# -- check_answer ---------------------------------------------------------------------------


def check_answer(
    answer_text: str,
    hits: Sequence[ProductHit],
    *,
    currency: str,
    policy_text: str = "",
) -> GuardrailResult:
    """Correct price and stock claims against the live facts of `hits` (numbered as in the
    prompt). `policy_text` lists figures that may appear without a product ("orders over
    $75 ship free")."""
    policy_amounts = {c.amount for c in _price_claims(policy_text, currency)}
    corrections: list[Correction] = []
    pieces: list[str] = []
    cursor = 0
    context: ProductHit | None = hits[0] if len(hits) == 1 else None
    for start, end in _sentence_spans(answer_text):
        gap = answer_text[cursor:start]
        if "\n" in gap and len(hits) != 1:
            context = None  # a new line (list item) starts a new subject
        pieces.append(gap)
        cursor = end
        sentence = answer_text[start:end]
        mentions = _mentions(sentence, hits)
        edits: list[tuple[int, int, str, Correction]] = []
        remove = False
        for claim in _price_claims(sentence, currency):
            hit = _attribute(claim.start, mentions, context)
            if hit is None:
                plausible = claim.amount in policy_amounts or any(
                    _claim_is_true(claim, h) for h in hits
                )
                remove = remove or not plausible
                continue
            if _claim_is_true(claim, hit):
                continue
            if hit.price is None:
                remove = True
                continue
            prefix = sentence[max(0, claim.start - 20) : claim.start]
            wants_regular = bool(_REGULAR_CUE_RE.search(prefix)) and hit.regular_price is not None
            live = hit.regular_price if wants_regular else hit.price
            assert live is not None
            fixed = _price_text(live, hit.currency, claim.code_style)
            original = sentence[claim.start : claim.end]
            edits.append((claim.start, claim.end, fixed,
                          Correction("price", original, fixed, hit.product_id)))
        for claim_start, claim_end, kind, match in _stock_claims(sentence):
            hit = _attribute(claim_start, mentions, context)
            if hit is None:
                # Unattributed: drop it only if it is false for every product. A bare
                # "available" is too common a word ("free returns available") to judge.
                bare_available = kind == "in" and "stock" not in match.group(0).lower()
                if kind in ("in", "out") and hits and not bare_available:
                    remove = remove or all(_actual_stock(h) != kind for h in hits)
                continue
            fixed = _stock_fix(kind, match, hit)
            if fixed is not None:
                edits.append((claim_start, claim_end, fixed,
                              Correction("stock", match.group(0), fixed, hit.product_id)))
        if remove:
            corrections.append(Correction("removed_sentence", sentence.strip(), ""))
        else:
            edits.sort(key=lambda edit: edit[0])
            # Apply from the end so earlier offsets stay valid.
            for edit_start, edit_end, fixed, _ in reversed(edits):
                sentence = sentence[:edit_start] + fixed + sentence[edit_end:]
            corrections.extend(edit[3] for edit in edits)
            pieces.append(sentence)
        if mentions:
            context = mentions[-1][1]
    pieces.append(answer_text[cursor:])
    if not corrections:
        return GuardrailResult(answer_text)
    return GuardrailResult(_tidy("".join(pieces)), tuple(corrections))


# -- off-topic requests ---------------------------------------------------------------------

_OFF_TOPIC_RE = re.compile(
    r"\b(write|generate|debug|fix|explain)\b.{0,40}\b(code|script|function|program|python|"
    r"javascript|sql|regex|essay|poem|song|story|cover letter|resume)\b"
    r"|\bhomework\b|\bassignment\b|\bsolve (this|the|my|for)\b|\bderivative\b|\bintegral of\b"
    r"|\b(politic\w*|election\w*|vote for|democrats?|republicans?|president|prime minister|"
    r"parliament|abortion|religion)\b"
    r"|\bwho (won|is winning)\b|\bcapital of\b|\bweather (today|tomorrow|forecast)\b"
    r"|\b(stock market|crypto\w*|bitcoin|lottery)\b"
    r"|\btranslate (this|the following)\b|\bmedical advice\b|\blegal advice\b",
    re.IGNORECASE,
)
# Shopping words make an otherwise odd question a store question ("python books in stock?").
_SHOPPING_RE = re.compile(
    r"\b(buy|order|orders|price|prices|cost|ship\w*|deliver\w*|return\w*|refund\w*|stock|size|"
    r"sizes|product\w*|cart|checkout|discount|sale|gift|sell|store|shop)\b",
    re.IGNORECASE,
)


def is_out_of_scope(question: str) -> bool:
    """True for requests clearly unrelated to shopping; cheap and conservative (a false
    "in scope" costs one LLM call, a false "out of scope" turns away a customer)."""
    return bool(_OFF_TOPIC_RE.search(question)) and not _SHOPPING_RE.search(question)


def out_of_scope_reply(store_name: str) -> str:
    return (
        f"I'm here to help with {store_name}'s products, orders and policies, so I can't help "
        "with that one. Is there anything in the store I can help you find?"
    )


# -- prompt injection -----------------------------------------------------------------------

_INJECTION_RE = re.compile(
    r"\b(ignore|disregard|forget|override|bypass)\b.{0,30}\b(previous|prior|above|earlier|all|"
    r"your|these|the)\b.{0,20}\b(instructions?|rules?|prompts?|directions?|guidelines?)\b"
    r"|\b(reveal|show|print|repeat|tell me|what (is|are))\b.{0,30}\b(system prompt|your "
    r"(instructions|rules|prompt)|hidden (instructions|prompt))\b"
    r"|\byou are now\b|\bfrom now on,? you\b|\bact as (a|an|if)\b|\bpretend (to be|you)\b"
    r"|\b(developer|god|jailbreak|dan) mode\b|\bjailbreak\b|\bnew instructions?\s*:"
    r"|<\|im_(start|end)\|>|\[/?INST\]|<</?SYS>>|</?\s*data\s*>|^\s*(system|assistant)\s*:",
    re.IGNORECASE | re.MULTILINE,
)


def detect_prompt_injection(text: str) -> bool:
    """Flags text that tries to steer the model. Fencing is the defence; this is for
    logging and for refusing obvious attempts early."""
    return bool(_INJECTION_RE.search(text))


# -- system prompt leaks --------------------------------------------------------------------

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
    for start, end in _sentence_spans(answer):
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
    remaining = _tidy("".join(kept))
    if not remaining or _leak_ratio(remaining, system_prompt, public_text) > 0.3:
        return LEAK_REFUSAL
    return remaining


def _leak_ratio(text: str, system_prompt: str, public_text: str) -> float:
    small = _shingles(text, 4)
    secret = _shingles(system_prompt, 4) - _shingles(public_text, 4)
    return len(small & secret) / len(small) if small else 0.0


# -- promises -------------------------------------------------------------------------------

_PROMISE_PATTERNS: tuple[tuple[re.Pattern[str], re.Pattern[str] | None], ...] = (
    # (claim in the answer, what the policies must contain for it to stand; None = never)
    (re.compile(r"\bfree (shipping|delivery)\b|\bships? (for )?free\b", re.I),
     re.compile(r"\bfree\b.{0,40}\b(ship|deliver)|\b(ship|deliver)\w*.{0,40}\bfree\b", re.I)),
    (re.compile(r"\bfree returns?\b|\breturns? (are|is) free\b", re.I),
     re.compile(r"\bfree\b.{0,30}\breturn|\breturn\w*.{0,40}\bfree\b", re.I)),
    (re.compile(r"\bprice[- ]match\w*\b", re.I), re.compile(r"\bprice[- ]match", re.I)),
    (re.compile(r"\bmoney[- ]back\b|\blifetime warranty\b|\bbuy one,? get one\b|\bbogo\b", re.I),
     None),
    (re.compile(r"\b(I|we)('ll| will| can| could)\s+(give|offer|apply|add|throw in|waive)\b", re.I),
     None),
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


def strip_unapproved_promises(answer: str, policies_text: str) -> GuardrailResult:
    """Removes sentences promising discounts, codes, free shipping/returns, guarantees or
    favours that the merchant's policies do not state."""
    kept: list[str] = []
    corrections: list[Correction] = []
    cursor = 0
    for start, end in _sentence_spans(answer):
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
    return GuardrailResult(_tidy("".join(kept)), tuple(corrections))
