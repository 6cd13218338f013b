"""English filter turns: a constraint (price ceiling, cheapest, on sale, in stock) over a
category or a kind of thing, with a must-list only where the right answer is determinate.

A product breaking the constraint is a must-not: out of stock when "in stock" was asked,
over the ceiling, or with a sale price that is only scheduled (not on sale today).
"""

from __future__ import annotations

import math
import random
from decimal import Decimal

from shopper_catalogue import DemoFacts, Item, a_kind, money
from shopper_turn import Turn, fact, listing, turn

MAX_MUST = 3
MAX_MUST_NOT = 4


def _price(item: Item) -> Decimal:
    return Decimal(item.price or "0")


def _price_facts(items: list[Item]) -> list[dict[str, str]]:
    return [fact("price", item, item.price or "") for item in items if item.fixed_price]


def _in_stock_price(item: Item) -> Decimal | None:
    """What the cheapest in-stock one costs: a variable product's own price is its cheapest
    variation's, which may be the sold-out one."""
    if item.kind == "variable":
        prices = [Decimal(v.price) for v in item.variations if v.stock == "in_stock"]
        return min(prices, default=None)
    return _price(item) if item.price and item.stock == "in_stock" else None


def cheapest_in_stock(rng: random.Random, facts: DemoFacts, category: str) -> Turn | None:
    """The cheapest in-stock product of a category (grouped products sell from a range of
    prices, so a category where one undercuts the winner is not asked)."""
    everything = [item for item in facts.in_category(category) if item.price]
    priced = [(p, i) for i in everything if i.kind != "grouped" and (p := _in_stock_price(i))]
    ranked = sorted(priced, key=lambda pair: pair[0])
    if len(ranked) < 2 or ranked[0][0] == ranked[1][0]:
        return None
    cheapest, winner = ranked[0]
    if any(i.kind == "grouped" and _price(i) <= cheapest for i in everything):
        return None
    out = [item for item in everything if item.stock == "out_of_stock"][:MAX_MUST_NOT]
    templates = (
        "What's the cheapest item in {cat} you have in stock?",
        "Cheapest thing in {cat} that's available right now?",
        "I'm on a budget: what is the least expensive {low} product in stock?",
    )
    return turn(
        rng.choice(templates).format(low=category.lower(), cat=category),
        ["filter"],
        must=[winner],
        must_not=out,
        relevance={winner.id: 3},
        facts=[fact("price", winner, f"{cheapest:.2f}")],
        refuse=False,
        references=[
            f"The cheapest {category.lower()} item in stock is the {winner.name} "
            f"({money(str(cheapest))})."
        ],
    )


CATEGORY_CEILINGS = (
    "{cat} items under ${limit}?",
    "Anything in {cat} below ${limit}?",
    "Show me {low} products under ${limit}",
    "What can I get in {cat} for less than ${limit}?",
)
KIND_CEILINGS = (
    "Do you have {kind} for under ${limit}?",
    "I want {kind} but can't spend more than ${limit}",
    "Can I find {kind} below ${limit} here?",
)


def under_price(rng: random.Random, facts: DemoFacts, category: str) -> Turn | None:
    """A ceiling over a category (or, half the time, over one kind of thing in it) with one to
    three products under it; the next ones above it must not be offered."""
    pool = [i for i in facts.in_category(category) if i.price]
    kinds = sorted({i.noun for i in pool if sum(j.noun == i.noun for j in pool) >= 3})
    kind = rng.choice(kinds) if kinds and rng.random() < 0.5 else None
    ranked = sorted((i for i in pool if kind is None or i.noun == kind), key=_price)
    count = rng.randint(1, MAX_MUST)
    if len(ranked) <= count:
        return None
    below, above = ranked[:count], ranked[count:]
    ceiling = Decimal(math.ceil(_price(below[-1])))
    if ceiling >= _price(above[0]) or any(i.kind == "grouped" for i in below):
        return None
    template = rng.choice(KIND_CEILINGS if kind else CATEGORY_CEILINGS)
    where = "" if kind else f" in {category}"
    return turn(
        template.format(
            cat=category, low=category.lower(), kind=a_kind(kind) if kind else "", limit=ceiling
        ),
        ["filter"],
        must=below,
        must_not=above[:MAX_MUST_NOT],
        relevance={item.id: 1 for item in below},
        facts=_price_facts(below),
        refuse=False,
        references=[f"Under {money(str(ceiling))}{where} we have {listing(below)}."],
    )


def on_sale(rng: random.Random, facts: DemoFacts, category: str) -> Turn | None:
    """What is on sale today; a sale that is only scheduled is not (a must-not)."""
    items = [item for item in facts.in_category(category) if item.price]
    sale = [item for item in items if item.on_sale]
    if not 1 <= len(sale) <= MAX_MUST:
        return None
    scheduled = [item for item in items if item.scheduled_sale and not item.on_sale]
    not_on_sale = scheduled or [item for item in items if not item.on_sale]
    templates = (
        "What's on sale in {cat}?",
        "Any {low} deals right now?",
        "Which {cat} products are discounted at the moment?",
    )
    return turn(
        rng.choice(templates).format(cat=category, low=category.lower()),
        ["filter"],
        must=sale,
        must_not=not_on_sale[:MAX_MUST_NOT],
        relevance={item.id: 1 for item in sale},
        facts=_price_facts(sale),
        refuse=False,
        references=[f"On sale in {category} right now: {listing(sale)}."],
    )


def in_stock_kind(rng: random.Random, facts: DemoFacts, noun: str) -> Turn | None:
    """A kind of thing some of which are sold out: the sold-out ones must not be offered."""
    items = facts.by_noun()[noun]
    out = [item for item in items if item.stock == "out_of_stock"]
    available = [item for item in items if item.stock == "in_stock"]
    if not out or not available:
        return None
    templates = (
        "Which {noun} models do you have in stock?",
        "I need {kind} that I can get right away, which ones are available?",
        "Show me {noun} options that aren't sold out",
    )
    return turn(
        rng.choice(templates).format(noun=noun.lower(), kind=a_kind(noun)),
        ["filter"],
        must=available if len(available) <= MAX_MUST else [],
        must_not=out,
        relevance={item.id: 1 for item in available},
        refuse=False,
        references=[f"In stock right now: {listing(available)}."],
    )
