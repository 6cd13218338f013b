"""Keep money amounts out of indexed text.

Prices live in database columns that every sync refreshes; chunk text is only re-embedded
when the text itself changes. A price written into chunk text would therefore outlive the
next price change, and the bot would quote it. Merchants do write "Now only €19.99!" into
descriptions, so amounts next to a currency sign or code are replaced by a neutral phrase.
"""

from __future__ import annotations

import re

PRICE_PLACEHOLDER = "(see current price)"
_SYMBOLS = r"[$€£¥₹₽₩₺₪₫฿₦₱]|(?:US|AU|CA|NZ|HK|S)\$|R\$|kr\.?|Kr\.?|zł|Kč|Fr\."
_CODES = (
    r"USD|EUR|GBP|JPY|INR|CAD|AUD|NZD|CHF|SEK|NOK|DKK|PLN|CZK|HUF|BRL|MXN|ZAR|TRY|CNY|HKD|SGD|RUB"
)
# Scanning for digits first and looking only a few characters around each number is ~20x
# faster than one big alternation tried at every position of every description.
_AMOUNT = re.compile(
    r"\d{1,3}(?:[.,'\u00a0\u202f ]\d{3})+(?:[.,]\d{1,2})?(?!\d)|\d+(?:[.,]\d{1,2})?"
)
_CURRENCY_BEFORE = re.compile(rf"(?:{_SYMBOLS}|\b(?:{_CODES}))\s?$")
# Spelled-out "pounds" is left alone: in product copy it is far more often a weight.
_CURRENCY_AFTER = re.compile(rf"^\s?(?:{_SYMBOLS}|(?:{_CODES})\b|[Ee]uros?\b|[Dd]ollars?\b)")
_RANGE = re.compile(rf"{re.escape(PRICE_PLACEHOLDER)}\s?[-–]\s?{re.escape(PRICE_PLACEHOLDER)}")
_LOOK = 8


def scrub_prices(text: str) -> str:
    """Replace currency amounts ("€19.99", "19,99 €", "USD 20", "$10–$15") with a neutral phrase."""
    pieces: list[str] = []
    last = 0
    for match in _AMOUNT.finditer(text):
        start, end = match.span()
        window_start = max(last, start - _LOOK)
        before = _CURRENCY_BEFORE.search(text[window_start:start])
        after = _CURRENCY_AFTER.match(text[end : end + _LOOK])
        if before is None and after is None:
            continue
        pieces.append(text[last : window_start + before.start() if before else start])
        pieces.append(PRICE_PLACEHOLDER)
        last = end + (after.end() if after else 0)
    if not pieces:
        return text
    pieces.append(text[last:])
    return _RANGE.sub(PRICE_PLACEHOLDER, "".join(pieces))
