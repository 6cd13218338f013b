"""The retrieval bench's synthetic catalogue: template-built product names and descriptions
(category, colour, material, features, brand) and shopper questions about them.

Every question ends in a random number so that its text is new: no embedding is ever served
from a cache, as for a question no shopper asked before.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

CATALOGUE = {
    "Backpacks": (
        ["backpack", "daypack", "rucksack", "hiking pack"],
        ["hiking", "commuting", "travel", "school"],
    ),
    "Jackets": (
        ["rain jacket", "down jacket", "fleece", "softshell", "parka"],
        ["hiking", "winter", "running", "city"],
    ),
    "Shoes": (
        ["trail runner", "hiking boot", "sneaker", "sandal", "approach shoe"],
        ["running", "hiking", "walking", "summer"],
    ),
    "Kitchen": (
        ["skillet", "saucepan", "chef knife", "cutting board", "kettle", "dutch oven"],
        ["searing", "baking", "camping", "everyday cooking"],
    ),
    "Toys": (
        ["building set", "puzzle", "plush bear", "wooden train", "board game", "kite"],
        ["toddlers", "family night", "ages 8 and up", "the beach"],
    ),
    "Electronics": (
        ["headphones", "bluetooth speaker", "power bank", "e-reader", "smartwatch"],
        ["travel", "workouts", "the office", "gaming"],
    ),
    "Home": (
        ["throw blanket", "table lamp", "ceramic vase", "storage basket", "wall clock"],
        ["the living room", "bedrooms", "gifts", "small flats"],
    ),
    "Beauty": (
        ["face cream", "shampoo", "lip balm", "body lotion", "sunscreen"],
        ["dry skin", "sensitive skin", "daily use", "the beach"],
    ),
    "Garden": (
        ["watering can", "pruning shears", "planter", "garden hose", "seed kit"],
        ["balconies", "vegetable beds", "houseplants", "lawns"],
    ),
    "Sports": (
        ["yoga mat", "dumbbell set", "tennis racket", "water bottle", "jump rope"],
        ["home workouts", "the gym", "yoga", "tennis"],
    ),
}
COLOURS = ["black", "navy", "red", "green", "grey", "white", "blue", "orange", "beige", "pink"]
MATERIALS = [
    "recycled nylon",
    "merino wool",
    "stainless steel",
    "cast iron",
    "organic cotton",
    "bamboo",
    "oak wood",
    "silicone",
    "leather",
    "aluminium",
    "ceramic",
    "polyester",
]
FEATURES = [
    "waterproof",
    "lightweight",
    "machine washable",
    "dishwasher safe",
    "rechargeable",
    "foldable",
    "non-slip",
    "BPA-free",
    "hand-made",
    "UV resistant",
    "noise cancelling",
    "insulated",
    "vegan",
]
BRANDS = [
    "Northpeak",
    "Alder & Co",
    "Brightwell",
    "Kestrel",
    "Mossgrove",
    "Tidewater",
    "Ironleaf",
    "Lumen",
    "Fjordline",
    "Copperfield",
    "Wildroot",
    "Sunday Goods",
]

CLOSINGS = [
    "Comes with a two-year warranty.",
    "Ships in plastic-free packaging.",
    "Loved by our customers for its quality.",
    "Available in several sizes.",
]
CARE = ["wipe clean", "hand wash", "machine wash cold", "air dry"]


@dataclass(frozen=True)
class PoolProduct:
    name: str
    body: str
    category: str
    colour: str
    noun: str
    use: str
    feature: str


def make_pool(size: int, rng: random.Random) -> list[PoolProduct]:
    pool: list[PoolProduct] = []
    seen: set[str] = set()
    while len(pool) < size:
        category = rng.choice(list(CATALOGUE))
        nouns, uses = CATALOGUE[category]
        noun, use, colour = rng.choice(nouns), rng.choice(uses), rng.choice(COLOURS)
        material, brand = rng.choice(MATERIALS), rng.choice(BRANDS)
        features = rng.sample(FEATURES, 2)
        model_number = rng.randint(2, 99)
        name = (
            f"{brand} {features[0].capitalize()} {material.title()} {noun.title()} {model_number}"
        )
        if name in seen:
            continue
        seen.add(name)
        closing, care = rng.choice(CLOSINGS), rng.choice(CARE)  # in this order: seeded draws
        body = (
            f"A {features[0]} {noun} in {colour}, made from {material}. Designed for {use}, it is "
            f"{features[1]} and built to last. {closing} Care: {care}."
        )
        pool.append(PoolProduct(name, body, category, colour, noun, use, features[0]))
    return pool


def make_question(product: PoolProduct, rng: random.Random) -> str:
    templates = [
        "do you have a {feature} {noun} for {use}?",
        "i need a {colour} {noun}, what do you recommend?",
        "{noun} for {use} under ${price}",
        "is there a {noun} that is {feature}?",
        "what {category} do you have for {use}?",
        "looking for a {feature} {colour} {noun} in stock",
        "which {noun} is best for {use}?",
    ]
    return (
        rng.choice(templates).format(
            feature=product.feature.lower(),
            noun=product.noun,
            use=product.use,
            colour=product.colour,
            price=rng.choice([20, 30, 50, 80, 120]),
            category=product.category.lower(),
        )
        + f" #{rng.randint(1, 10**6)}"
    )  # distinct text: no embedding is ever served from a cache
