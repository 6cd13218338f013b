"""English turns about products: page questions, searches, filters, comparisons, variants.

Each builder draws its products with the suite's seeded RNG and writes its expectations
from the catalogue's facts; a builder returns None when the draw cannot make a fair,
determinate question (the caller draws again).
"""

from __future__ import annotations

import random
from decimal import Decimal

from shopper_catalogue import STOCK_WORDS, DemoFacts, Item, a_kind, money
from shopper_turn import Turn, fact, price_and_stock, spoken_list, stock_sentence, turn

PAGE_PRICE = ("How much is this?", "What does this cost?", "What's the price of this one?")
PAGE_STOCK = ("Is it in stock?", "Can I order this today, is it available?", "Do you have this?")
PAGE_MATERIAL = ("What is it made of?", "What material is this?")
PAGE_USE = ("What is this good for?", "What would I use this for?")


def page_question(rng: random.Random, item: Item, ask: str | None = None) -> Turn:
    """Asked on the product's own page: its price, stock, material, use or options."""
    asks = ["stock", "material", "use"]
    asks += ["price"] if item.fixed_price else []
    asks += ["options"] if item.variations else []
    ask = ask or rng.choice(asks)
    if ask == "options":
        attribute = rng.choice(item.attributes())
        options = item.axis(attribute)
        asked = "colours" if attribute == "Colour" else "sizes"
        return turn(
            rng.choice((f"What {asked} does this come in?", f"Which {asked} can I get this in?")),
            ["page_question", "variant"],
            page=item,
            must=[item],
            refuse=False,
            facts=[fact("variant", item, option) for option in options],
            references=[f"The {item.name} comes in {spoken_list(options)}."],
        )
    if ask == "price":
        return turn(
            rng.choice(PAGE_PRICE),
            ["page_question"],
            page=item,
            must=[item],
            refuse=False,
            evidence=[item.intro],
            facts=[fact("price", item, item.price or "")],
            references=[price_and_stock(item)],
        )
    if ask == "stock":
        return turn(
            rng.choice(PAGE_STOCK),
            ["page_question"],
            page=item,
            must=[item],
            refuse=False,
            evidence=[item.intro],
            facts=[fact("stock", item, item.stock)],
            references=[stock_sentence(item)],
        )
    question, evidence, answer = (
        (rng.choice(PAGE_MATERIAL), item.intro, f"The {item.name} is made from {item.material}.")
        if ask == "material"
        else (rng.choice(PAGE_USE), item.uses, f"The {item.name} is ideal for {item.uses[10:]}.")
    )
    return turn(
        question,
        ["page_question"],
        page=item,
        must=[item],
        refuse=False,
        evidence=[evidence],
        references=[answer],
    )


def close_matches(facts: DemoFacts, item: Item) -> dict[str, int]:
    """Graded relevance: 3 for the product named, 1 for the same kind of thing in its category."""
    graded = {
        other.id: 1
        for other in facts.by_noun()[item.noun]
        if other.category == item.category and other.id != item.id
    }
    return {item.id: 3, **graded}


def search_by_name(rng: random.Random, facts: DemoFacts, item: Item) -> Turn:
    templates = (
        "Do you sell the {name}?",
        "I'm looking for the {name}, do you have it?",
        "Have you got the {name} and what does it cost?",
        "Is the {name} something you carry? How much is it?",
    )
    message = rng.choice(templates).format(name=item.name)
    asks_price = "cost" in message or "How much" in message
    facts_ = [fact("price", item, item.price or "")] if asks_price and item.fixed_price else []
    reference = price_and_stock(item) if item.fixed_price else f"Yes, we sell the {item.name}."
    return turn(
        message,
        ["search"],
        must=[item],
        relevance=close_matches(facts, item),
        evidence=[item.intro],
        facts=facts_,
        refuse=False,
        references=[reference],
    )


def search_by_need(rng: random.Random, facts: DemoFacts, noun: str) -> Turn:
    """A kind of thing: every one of that kind is relevant; the only one, if alone, is a must;
    a kind of thing that is for sale must never be answered with an unlisted one."""
    found = facts.by_noun()[noun]
    unlisted = [item for item in facts.unlisted if item.noun == noun]
    templates = (
        "Do you sell {kind}?",
        "I need {kind}, what do you have?",
        "Show me your {low} options",
        "Looking for {kind} as a gift",
    )
    return turn(
        rng.choice(templates).format(kind=a_kind(noun), low=noun.lower()),
        ["search"],
        must=found if len(found) == 1 else [],
        must_not=unlisted,
        relevance={item.id: 2 for item in found},
        refuse=False,
        references=[f"We have {spoken_list([f'the {item.name}' for item in found[:5]])}."],
    )


def search_for_unlisted(rng: random.Random, facts: DemoFacts, hidden: Item) -> Turn:
    """A product the store holds but does not publish: the shopper must not be shown it."""
    templates = (
        "Do you sell the {name}?",
        "Can I buy the {name} here?",
        "Do you still have the {name}?",
    )
    similar = [i for i in facts.by_noun().get(hidden.noun, []) if i.category == hidden.category]
    return turn(
        rng.choice(templates).format(name=hidden.name),
        ["search"],
        must_not=[hidden],
        relevance={item.id: 1 for item in similar},
        refuse=False,
    )


def comparison(rng: random.Random, first: Item, second: Item) -> Turn | None:
    if not (first.fixed_price and second.fixed_price) or first.price == second.price:
        return None
    cheaper, dearer = sorted((first, second), key=lambda i: Decimal(i.price or "0"))
    templates = (
        "Which is cheaper, the {a} or the {b}?",
        "Can you compare the {a} and the {b} for me?",
        "{a} vs {b}: what's the difference in price?",
        "I can't decide between the {a} and the {b}. How do they compare?",
    )
    reference = (
        f"The {first.name} costs {money(first.price or '')} and the {second.name} costs "
        f"{money(second.price or '')}, so the {cheaper.name} is cheaper than the {dearer.name}."
    )
    return turn(
        rng.choice(templates).format(a=first.name, b=second.name),
        ["comparison"],
        must=[first, second],
        relevance={first.id: 3, second.id: 3},
        facts=[fact("price", first, first.price or ""), fact("price", second, second.price or "")],
        refuse=False,
        references=[reference],
    )


def variant_options(rng: random.Random, item: Item) -> Turn:
    """What a variable product comes in: every buyable option must be named."""
    attribute = rng.choice(item.attributes())
    options = item.axis(attribute)
    asked = "colours" if attribute == "Colour" else "sizes"
    templates = (
        f"What {asked} does the {{name}} come in?",
        f"Which {asked} are available for the {{name}}?",
        f"Does the {{name}} come in different {asked}?",
    )
    return turn(
        rng.choice(templates).format(name=item.name),
        ["variant"],
        must=[item],
        facts=[fact("variant", item, option) for option in options],
        refuse=False,
        references=[f"The {item.name} comes in {spoken_list(options)}."],
    )


def variant_price_or_stock(rng: random.Random, item: Item) -> Turn:
    """One variation's price or stock; the product id is the parent's (the one on the card)."""
    variation = rng.choice(item.variations)
    label = variation.label()
    if rng.random() < 0.5:
        return turn(
            rng.choice(
                ("How much is the {name} in {label}?", "Price of the {name}, {label}?")
            ).format(name=item.name, label=label),
            ["variant"],
            must=[item],
            facts=[fact("price", item, variation.price)],
            refuse=False,
            references=[f"The {item.name} in {label} costs {money(variation.price)}."],
        )
    return turn(
        rng.choice(
            ("Is the {name} in {label} in stock?", "Do you have the {name} in {label}?")
        ).format(name=item.name, label=label),
        ["variant"],
        must=[item],
        facts=[fact("stock", item, variation.stock)],
        refuse=False,
        references=[f"The {item.name} in {label} {STOCK_WORDS[variation.stock]}."],
    )


def priced(items: list[Item]) -> list[Item]:
    return [item for item in items if item.fixed_price or item.kind == "variable"]
