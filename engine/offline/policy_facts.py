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
# The merchant writes the policy in the store's language: its figures are read in the six
# languages the assistant speaks.
_FREE = r"(?:free|gratis|gratuit[aeo]?s?|grátis|offert[es]*|kostenlos|versandkostenfrei)"
_FROM = (
    r"(?:over|above|from|of at least|exceeding|a partir de|desde|más de|superiores a"
    r"|dès|à partir de|au-delà de|plus de|ab|über|oltre|sopra|a partire da|acima de)"
)
# "Free standard shipping on orders over $75", "envío gratis a partir de 50 €".
_FREE_OVER_RE = re.compile(
    rf"\b{_FREE}\b[^.;]*?(?<!\w){_FROM}\s+(?P<threshold>{_AMOUNT})"
    rf"|(?<!\w){_FROM}\s+(?P<threshold2>{_AMOUNT})[^.;]*?\b{_FREE}\b",
    re.IGNORECASE,
)
# "otherwise $6.95", "a flat rate of $5", "si no, 4,95 €", "sonst 4,95 €".
_FEE_RE = re.compile(
    r"\b(?:otherwise|else|flat (?:rate|fee)(?: of)?|costs?|is|si no|de lo contrario|cuesta"
    r"|sinon|co[uû]te|sonst|ansonsten|kostet|altrimenti|costa|caso contr[aá]rio|sen[aã]o"
    rf"|custa)\s*[:,]?\s*(?P<fee>{_AMOUNT})",
    re.IGNORECASE,
)
# The days to dispatch, only where the policy says the order is SENT in them (a delivery
# time is not a dispatch time).
_DISPATCH_RE = re.compile(
    r"\b(?:ship|ships|shipped|dispatch(?:ed)?|sent)\s+within\s+(?P<en>\d+)\s+"
    r"(?:business|working)\s+days?\b"
    r"|\b(?:env[ií]an|salen|enviamos|despachamos)\s+en\s+(?:un plazo de\s+)?(?P<es>\d+)\s+"
    r"d[ií]as\s+(?:h[aá]biles|laborables)"
    r"|\b(?:exp[ée]di\w+|partent)\s+(?:sous|en)\s+(?P<fr>\d+)\s+jours\s+ouvr[ée]s"
    r"|\binnerhalb von\s+(?P<de>\d+)\s+(?:Werk|Arbeits)tagen\s+(?:versandt|verschickt)"
    r"|\b(?:spedit[io]|spediamo)\s+entro\s+(?P<it>\d+)\s+giorni\s+lavorativi"
    r"|\b(?:enviad[oa]s|despachad[oa]s|enviamos)\s+em\s+(?:at[ée]\s+)?(?P<pt>\d+)\s+"
    r"dias\s+[úu]teis",
    re.IGNORECASE,
)
_WINDOW_RE = re.compile(
    r"\b(?P<days>\d+)[- ]?(?:days?|d[ií]as|jours|tage[n]?|giorni|dias)\b", re.IGNORECASE
)

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
    days = next((d for d in dispatch.groups() if d), None) if dispatch else None
    return ShippingTerms(
        threshold=threshold.strip() if threshold else None,
        fee=fee.strip() if fee else None,
        dispatch_days=days,
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


def _cost_sentence(terms: ShippingTerms, asked: str | None, language: str) -> str | None:
    """What shipping costs, for the amount asked about when there is one."""
    if terms.threshold is None:
        # No free-shipping threshold: a flat fee is the cost whatever the amount.
        return None if terms.fee is None else say(language, "shipping_flat", fee=terms.fee)
    threshold, amount = _number(terms.threshold), _number(asked) if asked else None
    if asked is None or amount is None or threshold is None:
        if terms.fee is None:
            return say(language, "shipping_free_over", threshold=terms.threshold)
        return say(language, "shipping_costs", threshold=terms.threshold, fee=terms.fee)
    if amount > threshold:
        return say(language, "shipping_free_for", amount=asked, threshold=terms.threshold)
    if terms.fee is None:
        key = "shipping_not_free_for_no_fee"
        return say(language, key, amount=asked, threshold=terms.threshold)
    return say(
        language, "shipping_not_free_for", amount=asked, threshold=terms.threshold, fee=terms.fee
    )


def applied_shipping(policy: str, question: str, language: str) -> list[str]:
    """Sentences applying the shipping policy to the question (empty: nothing to apply):
    the cost and the days to dispatch, whichever the question asks about (both when it
    says neither, "what about shipping?")."""
    terms = shipping_terms(policy)
    asked = _question_amount(question)
    wants_cost = bool(asked) or bool(_COST_CUE_RE.search(question))
    wants_time = bool(_TIME_CUE_RE.search(question))
    if not wants_cost and not wants_time:
        wants_cost = wants_time = True
    said = []
    if wants_cost and (cost := _cost_sentence(terms, asked, language)) is not None:
        said.append(cost)
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
