"""Stock statements in an answer, in English, Spanish, French, German, Italian and
Portuguese: each says a product is "in_stock", "out_of_stock" or "on_backorder".

Negative and backorder phrasings are read first and claim their words, so "not in stock"
is out of stock, not also "in stock", and "available on backorder" is a backorder, not
"available". "Only 3 left" is in stock.

A bare "available" counts as in stock only as a predicate ("it's available", "está
disponible") and not when a colour, size or place follows ("available in Sage",
"disponible en rojo"), which is a variant statement instead. Blind spots: "we have it",
"ready to ship", "ships today" and other indirect wordings are not read; quantities
("3 left") are not compared with the stock count.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_NOT_A_STOCK_USE = r"(?!\s+(?:in|for|on|at|with|from|as|to|en|em|para|pour|per|für|a)\b)"
_NEGATION = r"(?:not|isn't|aren't|no|non|pas|nicht|não|nao|ne)"

_PATTERNS: tuple[tuple[str, str], ...] = (
    (
        "on_backorder",
        r"\b(?:available (?:on|for) )?back-?order(?:ed)?\b|\bon back-?order\b"
        r"|\bbajo pedido\b|\bpor encargo\b|\bsur commande\b|\ben r(?:é|e)approvisionnement\b"
        r"|\bnachbestell(?:t|bar)\b|\bauf bestellung\b|\bvorbestellbar\b|\bsu ordinazione\b"
        r"|\bin arretrato\b|\bsob encomenda\b|\bpor encomenda\b",
    ),
    (
        "out_of_stock",
        r"\bout[- ]of[- ]stock\b|\bsold[- ]out\b|\bunavailable\b|\bno longer available\b"
        r"|\bnone left\b|\bagotad[oa]s?\b|\bsin (?:stock|existencias)\b|\bfuera de stock\b"
        r"|\brupture de stock\b|\b(?:é|e)puis(?:é|e)e?s?\b|\bindisponibles?\b"
        r"|\bausverkauft\b|\bvergriffen\b|\bnicht (?:auf|an) lager\b|\bnicht vorr(?:ä|a)tig\b"
        r"|\bnicht (?:verf(?:ü|u)gbar|lieferbar)\b|\besaurit[oaie]\b|\besgotad[oa]s?\b"
        r"|\bsem (?:estoque|stock)\b|\bfora de (?:estoque|stock)\b|\bindispon(?:í|i)ve(?:l|is)\b"
        rf"|\b{_NEGATION}\b[\w' ]{{0,18}}?\b(?:in stock|available|disponibles?|disponibil[ei]"
        r"|dispon(?:í|i)ve(?:l|is)|en stock|em estoque|in magazzino|verf(?:ü|u)gbar|auf lager)\b",
    ),
    (
        "in_stock",
        r"\bin[- ]stock\b|\b(?:only )?\d{1,5} (?:left|remaining)\b|\ben stock\b"
        r"|\ben existencias?\b|\bauf lager\b|\ban lager\b|\bvorr(?:ä|a)tig\b|\blieferbar\b"
        r"|\bin magazzino\b|\bem estoque\b|\bem stock\b"
        r"|\b(?:is|are|it's|they're|currently|now)\s+available\b"
        + _NOT_A_STOCK_USE
        + r"|\b(?:disponibles?|disponibil[ei]|dispon(?:í|i)ve(?:l|is)|verf(?:ü|u)gbar)\b"
        + _NOT_A_STOCK_USE,
    ),
)
_COMPILED = tuple((kind, re.compile(pattern, re.IGNORECASE)) for kind, pattern in _PATTERNS)


@dataclass(frozen=True, slots=True)
class StockStatement:
    start: int
    end: int
    stock: str  # "in_stock" | "out_of_stock" | "on_backorder"


def stock_statements(sentence: str) -> list[StockStatement]:
    found: list[StockStatement] = []
    for kind, pattern in _COMPILED:
        for match in pattern.finditer(sentence):
            overlaps = any(match.start() < s.end and s.start < match.end() for s in found)
            if not overlaps:
                found.append(StockStatement(match.start(), match.end(), kind))
    return sorted(found, key=lambda s: s.start)
