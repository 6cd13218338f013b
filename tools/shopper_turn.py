"""One suite turn as the suite file holds it (evals/answers/records.py, issue 17's contract).

Only what a turn judges is written: an expectation key left out means "not judged".
"""

from __future__ import annotations

from typing import Any

from shopper_catalogue import STOCK_WORDS, Item, money

Turn = dict[str, Any]


def fact(kind: str, item: Item, value: str) -> dict[str, str]:
    return {"kind": kind, "product": item.id, "value": value}


def turn(
    message: str,
    tags: list[str],
    *,
    page: Item | None = None,
    language: str = "en",
    must: list[Item] | None = None,
    must_not: list[Item] | None = None,
    relevance: dict[str, int] | None = None,
    evidence: list[str] | None = None,
    facts: list[dict[str, str]] | None = None,
    refuse: bool | None = None,
    handoff: bool | None = None,
    references: list[str] | None = None,
) -> Turn:
    expect: dict[str, Any] = {
        "products_must": [item.id for item in must or []],
        "products_must_not": [item.id for item in must_not or []],
        "relevance": relevance or {},
        "evidence": evidence or [],
        "facts": facts or [],
        "refuse": refuse,
        "handoff": handoff,
        "language": language,
        "references": references or [],
    }
    return {
        "message": message,
        "tags": tags,
        "page": {"product_id": page.id} if page is not None else None,
        "expect": {key: value for key, value in expect.items() if value not in ([], {}, None)},
    }


def price_and_stock(item: Item) -> str:
    """A reference sentence: "The X costs $9.99 and is in stock." (a fixed-price product)."""
    sale = (
        f" (on sale, down from {money(item.regular_price)})"
        if item.on_sale and item.regular_price
        else ""
    )
    return f"The {item.name} costs {money(item.price or '0')}{sale} and {STOCK_WORDS[item.stock]}."


def stock_sentence(item: Item) -> str:
    return f"The {item.name} {STOCK_WORDS[item.stock]}."


def listing(items: list[Item]) -> str:
    """ "the A ($1.00) and the B ($2.00)" """
    parts = [f"the {item.name} ({money(item.price)})" for item in items if item.price]
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def spoken_list(words: list[str], conjunction: str = "and") -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + f" {conjunction} " + words[-1]
