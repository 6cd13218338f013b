"""Vocabulary the generator composes product names and descriptions from.

Materials, features and uses belong to each kind of product (a tent gets a hydrostatic
head, a knife a blade steel), so descriptions are coherent and distinct: a retrieval test
can ask for "a waterproof jacket for hiking" and there is a small set of right answers.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class NounSpec:
    noun: str
    subcategory: str | None
    materials: tuple[str, ...]
    features: tuple[str, ...]
    uses: tuple[str, ...]


@dataclass(frozen=True)
class Variants:
    """Attributes a variable product in this category varies by (name → options)."""

    axes: tuple[tuple[str, tuple[str, ...]], ...]


@dataclass(frozen=True)
class CategoryVocab:
    name: str
    slug: str
    description: str
    nouns: tuple[NounSpec, ...]
    care: tuple[str, ...]
    tags: tuple[str, ...]
    price_range: tuple[int, int]
    praise: tuple[str, ...]
    complaints: tuple[str, ...]
    variants: Variants | None = None


def N(noun: str, sub: str | None, materials: str, features: str, uses: str) -> NounSpec:
    """Compact spec: '|' separates alternatives."""
    return NounSpec(
        noun, sub, tuple(materials.split("|")), tuple(features.split("|")), tuple(uses.split("|"))
    )


COLOURS = ("Black", "Navy", "Forest Green", "Rust Red", "Sand", "Sky Blue", "Charcoal")
APPAREL_SIZES = ("XS", "S", "M", "L", "XL")
SHOE_SIZES = ("38", "39", "40", "41", "42", "43", "44", "45")

# Brand/line names, deliberately including non-ASCII so unicode survives the whole pipeline.
LINES = (
    "Nordkap",
    "Sólveig",
    "Ærø",
    "Zürich",
    "Kyōto",
    "Alpenglow",
    "Harbor",
    "Señorita",
    "Łódź",
    "Fjällräv",
    "Côte",
    "Trailhead",
    "Meridian",
    "Brisa",
    "Ember",
    "Tundra",
    "Aurora",
    "Bergen",
    "Café Crème",
    "Saltmarsh",
    "Cedar",
    "Öland",
    "Granite",
    "Marée",
)


REVIEWERS = (
    "Anna",
    "Zoë",
    "José",
    "Søren",
    "Marta",
    "李雷",
    "Chidi",
    "Élodie",
    "Priya",
    "Tomasz",
    "Ingrid",
    "Kenji",
    "Fatima",
    "Olu",
    "Björn",
    "Grace",
)

OPENERS = (
    "a favourite of our customers",
    "designed in-house and tested in the field",
    "our most versatile piece",
    "built to last for years",
    "a small-batch product",
    "the upgraded version of a classic",
)
