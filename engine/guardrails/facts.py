"""Price and stock claims in an answer, checked against the cited products' live facts.

Every claim is attributed to a product (a "[n]" citation or the product's name in the same
sentence, else the product named earlier on the same line, else the only product) and
corrected from that product's live fields. A price claim that cannot be attributed and matches
no product or policy figure is removed with its sentence.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from engine.guardrails.mentions import product_mentions
from engine.guardrails.results import Correction, GuardrailResult
from engine.guardrails.spans import sentence_spans, tidy
from engine.guardrails.variations import as_variation, every_view, named_variations
from engine.prompts.facts_wording import (
    IN_STOCK,
    ON_BACKORDER,
    OUT_OF_STOCK,
    StockState,
    stock_state,
)
from engine.prompts.text import format_money
from engine.types import ProductHit, format_price


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
    return {
        "€": "EUR",
        "euro": "EUR",
        "euros": "EUR",
        "£": "GBP",
        "pound": "GBP",
        "pounds": "GBP",
        "quid": "GBP",
        "¥": "JPY",
        "₹": "INR",
    }.get(mark, mark.upper())


def _parse_amount(raw: str) -> Decimal | None:
    if re.fullmatch(r"\d+,\d{1,2}", raw):  # 19,99 (decimal comma)
        raw = raw.replace(",", ".")
    try:
        return Decimal(raw.replace(",", ""))
    except InvalidOperation:
        return None


# Words that are a currency and a unit of weight.
_WEIGHT_OR_MONEY = frozenset({"pound", "pounds"})


def _price_claims(sentence: str, store_currency: str) -> list[_PriceClaim]:
    claims = []
    for m in _PRICE_RE.finditer(sentence):
        raw = m.group("n1") or m.group("n2") or m.group("n3") or m.group("n0")
        mark = m.group("sym") or m.group("sym2") or m.group("unit") or m.group("code0")
        amount = _parse_amount(raw)
        if amount is None:
            continue
        if mark.lower() in _WEIGHT_OR_MONEY and store_currency.upper() != "GBP":
            continue  # "holds up to 200 pounds": outside a GBP store, a weight
        code_style = bool(m.group("code0") or (m.group("unit") and m.group("unit").isupper()))
        claims.append(
            _PriceClaim(m.start(), m.end(), amount, _currency_of(mark, store_currency), code_style)
        )
    return claims


def _live_amounts(hit: ProductHit) -> set[Decimal]:
    """The product's prices and its variations' ("the red one is $59.99")."""
    return {
        p
        for view in every_view(hit)
        for p in (view.price, view.regular_price, view.sale_price)
        if p is not None
    }


def _claim_is_true(claim: _PriceClaim, hit: ProductHit) -> bool:
    return claim.currency == hit.currency and any(
        abs(claim.amount - live) < Decimal("0.005") for live in _live_amounts(hit)
    )


def _price_text(amount: Decimal, currency: str, code_style: bool) -> str:
    return f"{format_price(amount)} {currency}" if code_style else format_money(amount, currency)


# -- stock claims ---------------------------------------------------------------------------

_NOT_USAGE = r"(?!\s+(?:in|for|on|at|with|from|as|to|sizes?|colou?rs?)\b)"
_STOCK_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "out",
        re.compile(
            r"\b(?P<verb>isn't|is not|aren't|are not)\s+(?:currently\s+)?(?:in stock|available)"
            + _NOT_USAGE,
            re.I,
        ),
    ),
    (
        "out",
        re.compile(
            r"\bout[- ]of[- ]stock\b|\bsold[- ]out\b|\bunavailable\b|\bno longer available\b", re.I
        ),
    ),
    ("backorder", re.compile(r"\b(?:available )?on back-?order\b|\bback-?ordered\b", re.I)),
    (
        "quantity",
        re.compile(
            r"\b(?:only\s+)?(?P<qty>\d{1,5})\s+(?:left|remaining|(?:units?|pieces?|items?)?\s*"
            r"(?:left|in stock))\b",
            re.I,
        ),
    ),
    ("in", re.compile(r"\bin[- ]stock\b", re.I)),
    ("in", re.compile(r"\bavailable\b" + _NOT_USAGE, re.I)),
)


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
    actual = stock_state(hit)
    if kind == "quantity":
        claimed = int(match.group("qty"))
        if actual is StockState.OUT:
            return "none left"
        if hit.stock_quantity is None:
            return IN_STOCK if actual is StockState.IN else ON_BACKORDER
        if claimed == hit.stock_quantity:
            return None
        return match.group(0).replace(match.group("qty"), str(hit.stock_quantity), 1)
    available = "available" in match.group(0)
    if kind == actual or (kind == "in" and actual is StockState.BACKORDER and available):
        return None
    if actual is StockState.BACKORDER:
        return ON_BACKORDER
    if actual is StockState.OUT:
        return OUT_OF_STOCK
    verb = (match.groupdict().get("verb") or "").lower()
    prefix = "are " if verb.startswith("are") else "is " if verb else ""
    return prefix + IN_STOCK


def makes_fact_claims(text: str, currency: str) -> bool:
    """Whether `text` states a price or a stock level (which words after it may attribute to
    another product, or get its sentence removed)."""
    return bool(_price_claims(text, currency) or _stock_claims(text))


# -- check_answer ---------------------------------------------------------------------------

# (start, end, replacement, correction) within one sentence
_Edit = tuple[int, int, str, Correction]
# (position, product) for each product a sentence cites or names (product_mentions)
_Mentions = list[tuple[int, ProductHit]]


def _price_edits(
    sentence: str,
    mentions: _Mentions,
    context: ProductHit | None,
    hits: Sequence[ProductHit],
    currency: str,
    policy_amounts: set[Decimal],
    stated_bounds: set[Decimal],
) -> tuple[list[_Edit], bool]:
    """The sentence's price corrections, and whether it must go instead."""
    edits: list[_Edit] = []
    remove = False
    for claim in _price_claims(sentence, currency):
        if _is_price_difference(claim, sentence, hits) or _is_stated_bound(
            claim, sentence, stated_bounds
        ):
            continue
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
        correction = Correction("price", original, fixed, hit.product_id)
        edits.append((claim.start, claim.end, fixed, correction))
    return edits, remove


# "The difference is $19.55", "cheaper by $19.55": the gap between two products' prices is
# a catalogue fact too (a comparison states it), though it is neither product's price.
_DIFFERENCE_CUE_RE = re.compile(
    r"\b(difference|differ|cheaper by|less expensive by|more expensive by|saves? you|"
    r"saving of)\b[^$€£¥₹\d.!?]{0,16}$",
    re.I,
)


# "under $50", "over $100": a limit, not a product's price, when the shopper or a policy set
# it (the figure is among the allowed ones, with or without a currency mark).
_BOUND_CUE_RE = re.compile(
    r"\b(under|below|less than|cheaper than|more than|over|above|up to|at most|at least|"
    r"within)\W*$",
    re.I,
)
_FIGURE_RE = re.compile(r"(?<![\d.,])\d+(?:[.,]\d{1,2})?(?![\d])")


def stated_figures(text: str) -> set[Decimal]:
    """Every number in `text` ("under 50" and "under $50.00" both state 50)."""
    return {
        amount for raw in _FIGURE_RE.findall(text) if (amount := _parse_amount(raw)) is not None
    }


def _is_stated_bound(claim: _PriceClaim, sentence: str, stated: set[Decimal]) -> bool:
    prefix = sentence[max(0, claim.start - 20) : claim.start]
    return claim.amount in stated and bool(_BOUND_CUE_RE.search(prefix))


def _is_price_difference(claim: _PriceClaim, sentence: str, hits: Sequence[ProductHit]) -> bool:
    if not _DIFFERENCE_CUE_RE.search(sentence[max(0, claim.start - 40) : claim.start]):
        return False
    prices = [h.price for h in hits if h.price is not None and h.currency == claim.currency]
    return any(a - b == claim.amount for a in prices for b in prices)


def _stock_edits(
    sentence: str, mentions: _Mentions, context: ProductHit | None, hits: Sequence[ProductHit]
) -> tuple[list[_Edit], bool]:
    """The sentence's stock corrections, and whether it must go instead."""
    edits: list[_Edit] = []
    remove = False
    for claim_start, claim_end, kind, match in _stock_claims(sentence):
        hit = _attribute(claim_start, mentions, context)
        if hit is None:
            # Unattributed: drop it only if it is false for every product. A bare
            # "available" is too common a word ("free returns available") to judge.
            bare_available = kind == "in" and "stock" not in match.group(0).lower()
            if kind in ("in", "out") and hits and not bare_available:
                views = [view for h in hits for view in every_view(h)]
                remove = remove or all(stock_state(v) != kind for v in views)
            continue
        # A sentence naming variations' options is about their stock: true when one of
        # them has it ("the XL is sold out" when some XL is).
        views = [as_variation(hit, v) for v in named_variations(hit, sentence)] or [hit]
        fixes = [_stock_fix(kind, match, view) for view in views]
        fixed = None if None in fixes else fixes[0]
        if fixed is not None:
            correction = Correction("stock", match.group(0), fixed, hit.product_id)
            edits.append((claim_start, claim_end, fixed, correction))
    return edits, remove


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
    stated_bounds = stated_figures(policy_text)
    corrections: list[Correction] = []
    pieces: list[str] = []
    cursor = 0
    context: ProductHit | None = hits[0] if len(hits) == 1 else None
    for start, end in sentence_spans(answer_text):
        gap = answer_text[cursor:start]
        if "\n" in gap and len(hits) != 1:
            context = None  # a new line (list item) starts a new subject
        pieces.append(gap)
        cursor = end
        sentence = answer_text[start:end]
        mentions = product_mentions(sentence, hits)
        price_edits, price_false = _price_edits(
            sentence, mentions, context, hits, currency, policy_amounts, stated_bounds
        )
        stock_edits, stock_false = _stock_edits(sentence, mentions, context, hits)
        if price_false or stock_false:
            corrections.append(Correction("removed_sentence", sentence.strip(), ""))
        else:
            edits = sorted(price_edits + stock_edits, key=lambda edit: edit[0])
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
    return GuardrailResult(tidy("".join(pieces)), tuple(corrections))
