"""The analytics bench's shopper questions: a bank of paraphrase families, so grouping by
meaning (clustering) has something to group and grouping by words finds many small groups.

A family is one intent asked in several wordings; `answerable=False` marks what the
catalogue and policies cannot answer (the content gaps), whose answers are mostly
`no_answer`. Families are drawn with Zipf-like weights (the first is asked most), the
wording within a family uniformly."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Family:
    intent: str
    answerable: bool
    wordings: tuple[str, ...]


def _family(intent: str, answerable: bool, *wordings: str) -> Family:
    return Family(intent, answerable, wordings)


FAMILIES: tuple[Family, ...] = (
    _family(
        "waterproof jacket",
        True,
        "Do you have a waterproof jacket?",
        "I need a rain jacket that is really waterproof",
        "which jackets keep the rain out?",
        "Looking for a waterproof coat for hiking",
        "what's your best rain jacket",
        "is there a jacket that works in heavy rain?",
    ),
    _family(
        "shipping time",
        True,
        "How long does shipping take?",
        "when will my order arrive?",
        "How many days for delivery?",
        "what is the delivery time to Germany",
        "how fast do you ship",
        "Shipping time?",
    ),
    _family(
        "returns",
        True,
        "What is your return policy?",
        "Can I return something I bought?",
        "how do returns work",
        "I want to send back my order, how?",
        "do you accept returns after 30 days?",
        "Return policy?",
    ),
    _family(
        "boot size",
        True,
        "Do the hiking boots run small?",
        "what size hiking boot should I get if I am a 43?",
        "are your boots true to size",
        "Should I size up in the hiking boots?",
        "how do the boots fit",
        "sizing for hiking boots",
    ),
    _family(
        "warm sleeping bag",
        True,
        "Which sleeping bag is warm enough for winter?",
        "I need a sleeping bag for minus ten degrees",
        "what's the warmest sleeping bag you sell",
        "sleeping bag for cold nights?",
        "Do you have a down sleeping bag?",
        "best sleeping bag for winter camping",
    ),
    _family(
        "gift idea",
        True,
        "Can you suggest a gift for a hiker?",
        "gift ideas for someone who loves camping",
        "what should I buy my dad who likes the outdoors?",
        "I need a present under 50 euros",
        "Any good gifts for a trail runner?",
        "gift for a hiking friend",
    ),
    _family(
        "tent for two",
        True,
        "Do you have a two-person tent?",
        "Which tent is best for two people?",
        "lightweight tent for 2",
        "I'm looking for a small tent for me and my partner",
        "what 2 person tents do you sell?",
        "tent for two people, light",
    ),
    _family(
        "trail shoes",
        True,
        "What shoes are good for trail running?",
        "I need trail running shoes with good grip",
        "which running shoe for muddy trails",
        "do you sell trail runners?",
        "best shoe for running in the mountains",
        "Trail running shoes?",
    ),
    _family(
        "in stock",
        True,
        "Is the Alpine rain jacket in stock?",
        "do you have the Alpine rain jacket in medium?",
        "when will the Alpine rain jacket be back in stock?",
        "Alpine rain jacket available?",
        "is the Alpine jacket sold out",
    ),
    _family(
        "order tracking",
        False,
        "Where is my order?",
        "can you track my parcel?",
        "my package hasn't arrived, what's going on?",
        "I want to know the status of my order 10234",
        "Track my order please",
        "has my order shipped yet?",
    ),
    _family(
        "stove fuel",
        True,
        "Which gas does the camp stove use?",
        "what fuel do I need for the stove",
        "does the camp stove take butane canisters?",
        "Stove fuel type?",
        "can I use the stove with propane",
    ),
    _family(
        "discount code",
        False,
        "Do you have a discount code?",
        "is there a coupon for first orders?",
        "any promo codes right now",
        "Can I get a discount?",
        "student discount?",
        "do you do discounts for newsletter subscribers",
    ),
    _family(
        "payment methods",
        True,
        "Which payment methods do you accept?",
        "Can I pay with PayPal?",
        "do you take credit cards",
        "can I pay by invoice?",
        "is Klarna available",
        "Payment options?",
    ),
    _family(
        "kids jacket",
        True,
        "Do you have jackets for kids?",
        "rain jacket for a 6 year old",
        "children's waterproof jacket?",
        "what size jacket for a ten year old",
        "kids outdoor clothing",
    ),
    _family(
        "international shipping",
        False,
        "Do you ship to Australia?",
        "can you deliver to the US?",
        "shipping to Canada possible?",
        "do you ship outside the EU",
        "International shipping?",
        "I live in Japan, can I order?",
    ),
    _family(
        "water bottle",
        True,
        "Does the water bottle keep drinks cold?",
        "how long does the steel bottle keep water cold?",
        "is the bottle insulated",
        "insulated water bottle?",
        "can I put hot tea in the water bottle",
    ),
    _family(
        "gift wrapping",
        False,
        "Do you offer gift wrapping?",
        "can you wrap my order as a present?",
        "is gift wrap available",
        "Can I add a gift message?",
        "gift packaging?",
    ),
    _family(
        "headlamp battery",
        True,
        "How long does the headlamp battery last?",
        "is the headlamp rechargeable?",
        "headlamp battery life",
        "does the headlamp use AAA batteries",
        "How do I charge the headlamp",
    ),
    _family(
        "warranty",
        True,
        "What warranty do your products have?",
        "Is there a guarantee on the tent?",
        "how long is the warranty",
        "my jacket broke, is it covered?",
        "Warranty?",
    ),
    _family(
        "store pickup",
        False,
        "Can I pick up my order in store?",
        "do you have a shop in Berlin?",
        "click and collect?",
        "Where is your physical store",
        "can I come and try the boots on?",
    ),
    _family(
        "socks blisters",
        True,
        "Which socks prevent blisters?",
        "best hiking socks?",
        "are the merino socks good for long hikes",
        "socks for hiking boots",
        "Do you sell wool socks?",
    ),
    _family(
        "cheap backpack",
        True,
        "Do you have a cheap daypack?",
        "backpack under 60 euros",
        "what is the cheapest backpack",
        "small hiking backpack with rain cover?",
        "daypack for day hikes",
    ),
    _family(
        "bulk order",
        False,
        "Do you do bulk orders for a school group?",
        "Can I order 30 jackets for my team?",
        "corporate orders with our logo?",
        "wholesale prices?",
        "discount for large orders",
    ),
    _family(
        "skillet care",
        True,
        "How do I care for the cast iron skillet?",
        "is the skillet pre-seasoned?",
        "can I put the cast iron pan in the dishwasher",
        "cast iron skillet on a campfire?",
        "skillet seasoning",
    ),
    _family(
        "vegan materials",
        False,
        "Are your products vegan?",
        "which jackets are made without animal products?",
        "do you have boots that are not leather",
        "Is the down ethically sourced?",
        "vegan hiking boots?",
    ),
    _family(
        "fleece washing",
        True,
        "How do I wash the fleece?",
        "can the fleece go in the dryer?",
        "washing instructions for the fleece pullover",
        "fleece care",
        "will the fleece shrink",
    ),
    _family(
        "trekking poles",
        True,
        "Are the trekking poles adjustable?",
        "how long are the carbon poles",
        "do you sell walking poles",
        "trekking poles for tall people?",
        "Trekking poles?",
    ),
    _family(
        "repair service",
        False,
        "Do you repair zippers?",
        "can you fix my torn tent?",
        "is there a repair service",
        "where can I get my jacket repaired",
        "spare parts for the tent poles?",
    ),
    _family(
        "sun hat",
        True,
        "Do you have a sun hat with UV protection?",
        "hat for hot summer hikes",
        "wide brim hat?",
        "which hat protects from the sun",
        "UPF 50 hat",
    ),
    _family(
        "account",
        False,
        "How do I change my account password?",
        "I can't log in to my account",
        "delete my customer account",
        "how do I update my address",
        "reset password",
    ),
)


def bank() -> list[tuple[int, str, bool]]:
    """Every wording once: (family index, wording, answerable). The family index orders
    families by how often they are asked (0 is the most asked)."""
    return [
        (index, wording, family.answerable)
        for index, family in enumerate(FAMILIES)
        for wording in family.wordings
    ]
