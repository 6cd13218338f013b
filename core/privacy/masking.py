"""Data minimisation: e-mail addresses, phone numbers and payment-card numbers in free text
replaced by tokens (`[email]`, `[phone]`, `[card]`) before the text is stored or logged.

Cards are found by shape (13 to 19 digits, together or grouped as cards print them, with
spaces or dashes) and masked only when they pass the Luhn checksum: a barcode or order
number that happens to be that long is left alone nine times in ten, a real card number
never. Cards are always masked: nobody may keep one in a chat log.

Phone numbers are the hard part, because shop text is full of numbers. A run of digits is
a phone number when it
- starts with `+` and has 8 to 15 digits (E.164's maximum), or
- has the North American grouping `(555) 010-0200` / `555-010-0200` / `555.010.0200`, or
- starts with a trunk `0` and has 9 to 13 digits (`020 7946 0958`, `0151 23456789`,
  `06 12 34 56 78`), or
- has 7 to 15 digits and follows a word such as "phone", "call" or "whatsapp".
It is never a phone number when it reads as a date (`2026-03-29`, `29/03/2026`) or follows
"order", "SKU", "invoice", "tracking", "ref" or `#` (those are the shop's own numbers), and a
price (`$1,299.00`) never starts a candidate. tests/core/test_masking.py lists the cases.

E-mail addresses and phone numbers a shopper volunteers may be kept when the merchant
turns masking off for contact details (`keep_contacts=True`); logs always mask all three.
"""

from __future__ import annotations

import re

EMAIL_TOKEN = "[email]"
PHONE_TOKEN = "[phone]"
CARD_TOKEN = "[card]"

_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
# 13 to 19 digits written together, in fours (4-4-4-4, 4-4-4-1..4 and up to 19 digits) or
# as American Express prints them (4-6-5), with spaces or dashes; not glued to other digits,
# a `+` (an international phone number) or a decimal point.
_CARD = re.compile(
    r"(?<![\d+.,-])"
    r"(?:\d{13,19}|\d{4}([ -])\d{4}\1\d{4}\1\d{1,4}(?:\1\d{1,3})?|\d{4}([ -])\d{6}\2\d{4,5})"
    r"(?!\d|[.,]\d)"
)
# A phone-like run: an optional `+` or `(`, digits and the separators phones use. It may
# not start right after a currency sign, `#`, a digit separator or a letter, nor end
# glued to a word or to more digits after a separator (a decimal part, a time).
_NUMBERISH = re.compile(r"(?<![\w#$€£¥+.,:/-])(?:\+|\()?\d[\d ()./-]{5,22}\d(?!\w|[.,:/-]\d)")
_NANP = re.compile(r"(?:\(\d{3}\) ?|\d{3}[ .-])\d{3}[ .-]\d{4}")
_DATE = re.compile(r"\d{4}[./-]\d{1,2}[./-]\d{1,2}|\d{1,2}[./-]\d{1,2}[./-]\d{2,4}")
_PHONE_WORDS = re.compile(
    r"\b(?:phone|telephone|tel|mobile|cell|call|ring|text|sms|whatsapp|signal|fax|"
    r"telefon|handy|t[ée]l[ée]phone|portable|m[oó]vil|cellulare)\b[^\d\n]{0,20}$",
    re.IGNORECASE,
)
_SHOP_NUMBER_WORDS = re.compile(
    r"(?:\border|\bsku|\binvoice|\btracking|\bref(?:erence)?|\bitem|\bproduct|\bbarcode|"
    r"\bean|\bupc|\bisbn|#)[^\d\n]{0,12}$",
    re.IGNORECASE,
)


def luhn_valid(digits: str) -> bool:
    """The payment-card checksum over a string of digits."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def _mask_card(match: re.Match[str]) -> str:
    digits = re.sub(r"\D", "", match.group())
    return CARD_TOKEN if 13 <= len(digits) <= 19 and luhn_valid(digits) else match.group()


def _is_phone(candidate: str, before: str) -> bool:
    digits = sum(char.isdigit() for char in candidate)
    if candidate.startswith("+"):
        return 8 <= digits <= 15
    if _DATE.fullmatch(candidate) or _SHOP_NUMBER_WORDS.search(before):
        return False
    if _NANP.fullmatch(candidate):
        return True
    if candidate.startswith("0") and 9 <= digits <= 13:
        return True
    return 7 <= digits <= 15 and bool(_PHONE_WORDS.search(before))


def _mask_phones(text: str) -> str:
    pieces: list[str] = []
    last = 0
    for match in _NUMBERISH.finditer(text):
        candidate = match.group().rstrip(" ./-(")
        before = text[max(0, match.start() - 40) : match.start()]
        if _is_phone(candidate, before):
            pieces += [text[last : match.start()], PHONE_TOKEN]
            last = match.start() + len(candidate)
    return "".join(pieces) + text[last:] if pieces else text


def mask_personal_data(text: str, *, keep_contacts: bool = False) -> str:
    """`text` with card numbers masked, and e-mail addresses and phone numbers too unless
    `keep_contacts` (the merchant keeps the contact details shoppers volunteer)."""
    if not text:
        return text
    masked = _CARD.sub(_mask_card, text) if any(c.isdigit() for c in text) else text
    if keep_contacts:
        return masked
    if "@" in masked:
        masked = _EMAIL.sub(EMAIL_TOKEN, masked)
    return _mask_phones(masked)
