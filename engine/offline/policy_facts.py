"""The merchant's policies applied to the question asked.

"If I spend $40, do I pay for delivery?" against "Free standard shipping on orders over
$75; otherwise $6.95" is answered "not free, $6.95", and "can I return it after 40 days?"
against "within 30 days" is answered "no", before the policy itself is quoted. Only the
figures a policy states plainly are read (a free-shipping threshold, a flat fee, the days to
dispatch, the days to return); a policy worded otherwise is quoted as it is, and the answer
says nothing it cannot read from it. Every figure in the sentence comes from the policy or
from the question, so the answer guard's price check accepts it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from engine.offline.phrases import say

_AMOUNT = r"(?:[$€£]\s?\d+(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?\s?(?:[$€£]|USD|EUR|GBP))"
# "Free standard shipping on orders over $75", "shipping is free above €50".
_FREE_OVER_RE = re.compile(
    rf"\bfree\b[^.;]*?\b(?:over|above|from|of at least|exceeding)\s+(?P<threshold>{_AMOUNT})"
    rf"|\b(?:over|above|from)\s+(?P<threshold2>{_AMOUNT})[^.;]*?\bfree\b",
    re.IGNORECASE,
)
# "otherwise $6.95", "a flat rate of $5", "standard shipping costs $4.99".
_FEE_RE = re.compile(
    rf"\b(?:otherwise|else|flat (?:rate|fee)(?: of)?|costs?|is)\s*:?\s*(?P<fee>{_AMOUNT})",
    re.IGNORECASE,
)
_DISPATCH_RE = re.compile(
    r"\b(?:ship|ships|shipped|dispatch(?:ed)?|sent)\s+within\s+(?P<days>\d+)\s+"
    r"(?:business|working)\s+days?\b",
    re.IGNORECASE,
)
_WINDOW_RE = re.compile(r"\b(?P<days>\d+)[- ]days?\b", re.IGNORECASE)

# The shopper's figures, in any of the six languages.
_QUESTION_AMOUNT_RE = re.compile(
    r"[$€£]\s?(?P<a>\d+(?:[.,]\d{1,2})?)"
    r"|(?P<b>\d+(?:[.,]\d{1,2})?)\s?(?:[$€£]|dollars?|bucks|euros?|d[oó]lares|dollari"
    r"|USD|EUR|GBP)",
    re.IGNORECASE,
)
_QUESTION_DAYS_RE = re.compile(
    r"\b(?P<n>\d+)\s*(?P<unit>days?|d[ií]as|jours?|tage[n]?|giorni|weeks?|semanas?"
    r"|semaines?|wochen|woche|settimane|settimana|months?|meses|mois|monate[n]?|monat|mesi"
    r"|mese)\b",
    re.IGNORECASE,
)
# What a shipping question asks: the cost, the time, or (neither cue) everything.
_COST_CUE_RE = re.compile(
    r"\b(how much|cost\w*|price|fee|charge\w*|free|pay|cu[aá]nto cuesta|cuesta|gratis|precio"
    r"|co[uû]te?\w*|combien co[uû]te|gratuit\w*|offert\w*|prix|kostet|kosten\w*|kostenlos"
    r"|costa|gratuit[ao]|prezzo|custa|gr[aá]tis|pre[çc]o)\b",
    re.IGNORECASE,
)
_TIME_CUE_RE = re.compile(
    r"\b(how long|how soon|how fast|when|times?|days?|cu[aá]ndo|cu[aá]nto tarda|plazo|quand"
    r"|combien de temps|d[ée]lai|wie lange|wann|lieferzeit|quando|quanto tempo|tempi|prazo"
    r"|demora)\b",
    re.IGNORECASE,
)
_UNIT_DAYS = {"week": 7, "seman": 7, "woch": 7, "settiman": 7, "month": 30, "mes": 30}
_UNIT_DAYS_PREFIXES = (("mois", 30), ("monat", 30), ("mesi", 30), ("mese", 30))


@dataclass(frozen=True, slots=True)
class ShippingTerms:
    threshold: str | None  # as the policy writes it ("$75")
    fee: str | None
    dispatch_days: str | None


def _number(text: str) -> Decimal | None:
    digits = re.sub(r"[^\d.,]", "", text).replace(",", ".")
    try:
        return Decimal(digits)
    except InvalidOperation:
        return None


def shipping_terms(policy: str) -> ShippingTerms:
    free = _FREE_OVER_RE.search(policy)
    threshold = (free.group("threshold") or free.group("threshold2")) if free else None
    fee = None
    for match in _FEE_RE.finditer(policy):
        if match.group("fee") != threshold:
            fee = match.group("fee")
            break
    dispatch = _DISPATCH_RE.search(policy)
    return ShippingTerms(
        threshold=threshold.strip() if threshold else None,
        fee=fee.strip() if fee else None,
        dispatch_days=dispatch.group("days") if dispatch else None,
    )


def _question_amount(question: str) -> str | None:
    match = _QUESTION_AMOUNT_RE.search(question)
    if match is None:
        return None
    return match.group(0).strip()


def _question_days(question: str) -> int | None:
    match = _QUESTION_DAYS_RE.search(question)
    if match is None:
        return None
    unit = match.group("unit").lower()
    factor = next((days for prefix, days in _UNIT_DAYS.items() if unit.startswith(prefix)), 0)
    factor = factor or next((d for p, d in _UNIT_DAYS_PREFIXES if unit.startswith(p)), 1)
    return int(match.group("n")) * factor


def applied_shipping(policy: str, question: str, language: str) -> list[str]:
    """Sentences applying the shipping policy to the question (empty: nothing to apply)."""
    terms = shipping_terms(policy)
    said: list[str] = []
    asked = _question_amount(question)
    wants_cost = bool(asked) or bool(_COST_CUE_RE.search(question))
    wants_time = bool(_TIME_CUE_RE.search(question))
    if not wants_cost and not wants_time:
        wants_cost = wants_time = True
    if terms.threshold is not None and wants_cost:
        threshold = _number(terms.threshold)
        amount = _number(asked) if asked else None
        if asked and amount is not None and threshold is not None:
            if amount > threshold:
                said.append(
                    say(language, "shipping_free_for", amount=asked, threshold=terms.threshold)
                )
            elif terms.fee is not None:
                said.append(
                    say(
                        language,
                        "shipping_not_free_for",
                        amount=asked,
                        threshold=terms.threshold,
                        fee=terms.fee,
                    )
                )
            else:
                key = "shipping_not_free_for_no_fee"
                said.append(say(language, key, amount=asked, threshold=terms.threshold))
        elif terms.fee is not None:
            said.append(say(language, "shipping_costs", threshold=terms.threshold, fee=terms.fee))
        else:
            said.append(say(language, "shipping_free_over", threshold=terms.threshold))
    if terms.dispatch_days is not None and wants_time:
        said.append(say(language, "shipping_dispatch", days=terms.dispatch_days))
    return said


def applied_returns(policy: str, question: str, language: str) -> list[str]:
    """The returns window applied to the days the question names, else stated."""
    windows = {int(m.group("days")) for m in _WINDOW_RE.finditer(policy)}
    if len(windows) != 1:  # no window, or several (by item kind): quote, don't pick one
        return []
    window = windows.pop()
    days = _question_days(question)
    if days is None:
        return [say(language, "returns_window", window=window)]
    key = "returns_inside" if days <= window else "returns_outside"
    return [say(language, key, days=days, window=window)]
