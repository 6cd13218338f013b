"""Attribute questions answered from attributes: "how much does it weigh?", "how big is it?",
"what is it made of?", "what's the fit?" — and said plainly when the catalogue does not say.

Weight and dimensions are the store's strings (`ProductHit.weight`, `.dimensions`), quoted
as written; the other attributes are the product's named attributes.
"""

from __future__ import annotations

from engine.offline.phrases import say
from engine.offline.questions import asks_dimensions, asks_material, asks_weight
from engine.offline.wording import bold, joined
from engine.prompts.text import content_stems, stem
from engine.types import ProductHit

_DIMENSION_ORDER = ("length", "width", "height")
_MATERIAL_NAMES = {"material", "materials", "fabric", "materiale", "material(es)"}


def _has_unit(value: str) -> bool:
    """ "1.2 kg" says its unit; WooCommerce's "1.2" leaves it to a store setting."""
    return any(c.isalpha() for c in value)


def weight_answer(hit: ProductHit, language: str) -> str | None:
    weight = (hit.weight or "").strip()
    if not weight:
        return None
    key = "weight" if _has_unit(weight) else "weight_no_unit"
    return say(language, key, name=bold(hit), weight=weight)


def dimensions_answer(hit: ProductHit, language: str) -> str | None:
    """None when the listing gives none (the description may still say: the caller quotes it)."""
    given = {k: v.strip() for k, v in hit.dimensions.items() if v and v.strip()}
    if not given:
        return None
    parts = [
        say(language, "dimension_part", label=say(language, f"dimension_{key}"), value=given[key])
        for key in _DIMENSION_ORDER
        if key in given
    ]
    key = "dimensions" if all(_has_unit(v) for v in given.values()) else "dimensions_no_unit"
    return say(language, key, name=bold(hit), dimensions=joined(parts, language))


def _material(hit: ProductHit) -> tuple[str, tuple[str, ...]] | None:
    for attribute, values in hit.attributes.items():
        if attribute.lower() in _MATERIAL_NAMES and values:
            return attribute, values
    return None


def named_attribute(hit: ProductHit, question: str) -> tuple[str, tuple[str, ...]] | None:
    """An attribute the question names by its name ("what's the fit?" → Fit)."""
    question_stems = content_stems(question)
    for attribute, values in hit.attributes.items():
        if values and stem(attribute.lower()) in question_stems:
            return attribute, values
    return None


def _values_answer(hit: ProductHit, attribute: str, values: tuple[str, ...], language: str) -> str:
    return say(
        language,
        "attribute_values",
        name=bold(hit),
        attribute=attribute,
        values=joined(list(values), language),
    )


def attribute_answer(hit: ProductHit, question: str, language: str) -> str | None:
    """The answer from the product's attributes, or None (not an attribute question, or one
    the listing has no field for: the description may still say, see `unknown_answer`)."""
    if asks_weight(question):
        return weight_answer(hit, language)
    if asks_dimensions(question):
        return dimensions_answer(hit, language)
    if asks_material(question):
        material = _material(hit)
        if material is not None:
            return _values_answer(hit, *material, language)
        return None
    named = named_attribute(hit, question)
    if named is not None:
        return _values_answer(hit, *named, language)
    return None


def unknown_answer(hit: ProductHit, question: str, language: str) -> str | None:
    """ "The listing doesn't give its weight": for a weight, size or material question that
    neither the fields nor the description answer."""
    if asks_weight(question):
        return say(language, "weight_unknown", name=bold(hit))
    if asks_dimensions(question):
        return say(language, "dimensions_unknown", name=bold(hit))
    if asks_material(question):
        return say(language, "material_unknown", name=bold(hit))
    return None
