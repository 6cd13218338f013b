"""Small, dependency-free text helpers shared by prompts, the offline answerer, guardrails
and query rewriting: words, stems, sentences and money formatting."""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal

from engine.types import format_price

WORD_RE = re.compile(r"[^\W_]+(?:['’][^\W_]+)?", re.UNICODE)
# A sentence ends at . ! ? (not inside a number like 19.99) or at a line break, so list
# items and bullet lines count as sentences of their own.
_SENTENCE_END_RE = re.compile(r"(?<!\d)[.!?]+(?=\s|$)|(?<=\d)[.!?]+(?=\s+[A-Z\"'(*\[]|\s*$)|\n+")

STOPWORDS = frozenset(
    """
    a an the and or but if then else of to in on at by for with from into onto over under
    about as is are was were be been being am do does did doing have has had having i me my
    mine we us our ours you your yours he him his she her hers it its they them their theirs
    this that these those there here what which who whom whose when where why how can could
    would should will shall may might must not no nor so than too very just also any some
    all each every both either neither more most less least much many such own same other
    only please tell show know want need like looking look find get got give let yes ok okay
    hi hello hey thanks thank one ones
    """.split()
)

CURRENCY_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "INR": "₹"}


def fold(text: str) -> str:
    """Lower case without accents ("Côte" → "cote"): how questions are matched to words."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def words(text: str) -> list[str]:
    return [w.lower().replace("’", "'") for w in WORD_RE.findall(text)]


# British and American spellings shoppers mix freely.
_SPELLING = {"colour": "color", "colours": "colors", "grey": "gray", "jewellery": "jewelry"}


def stem(word: str) -> str:
    """A deliberately crude English stemmer: enough to match "jackets"/"jacket",
    "shipping"/"ship" and "hiking"/"hike"; not a linguistic tool."""
    word = _SPELLING.get(word, word)
    if len(word) > 4 and word.endswith("ies"):
        word = word[:-3] + "y"
    elif len(word) > 5 and word.endswith(("shes", "ches", "xes", "sses", "zes")):
        word = word[:-2]
    elif len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        word = word[:-1]
    for suffix in ("ing", "ed"):
        if len(word) >= len(suffix) + 3 and word.endswith(suffix):
            word = word[: -len(suffix)]
            if len(word) > 2 and word[-1] == word[-2] and word[-1] not in "lsz":
                word = word[:-1]  # shipp -> ship
            break
    if len(word) > 3 and word.endswith("e"):
        word = word[:-1]  # take/taking, hike/hiking meet at tak/hik
    return word


def content_stems(text: str) -> set[str]:
    return {stem(w) for w in words(text) if w not in STOPWORDS and len(w) > 1}


def sentences(text: str) -> list[str]:
    parts: list[str] = []
    start = 0
    for match in _SENTENCE_END_RE.finditer(text):
        end = match.end()
        piece = text[start:end].strip()
        if piece:
            parts.append(piece)
        start = end
    tail = text[start:].strip()
    if tail:
        parts.append(tail)
    return parts


def format_money(amount: Decimal | None, currency: str) -> str:
    """$49.99 for currencies with a well-known symbol, otherwise 49.99 CHF."""
    formatted = format_price(amount)
    if formatted is None:
        return "price not listed"
    symbol = CURRENCY_SYMBOLS.get(currency.upper())
    return f"{symbol}{formatted}" if symbol else f"{formatted} {currency.upper()}"
