"""Variants as facts: "is it in stock in sky blue, size XS?", "how much is the red one?",
"what colours does it come in?", "and in cream?".

A variation's price and stock are its own (`ProductHit.variations`), never the parent's.
A combination the store does not list is said not to exist, with the options that do. A
product whose options are known only as attributes (no variations loaded) gets its options
and no per-option price or stock, which the facts do not hold.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from engine.offline.phrases import say
from engine.offline.questions import COLOUR_WORD_RE, SIZE_WORD_RE
from engine.offline.wording import (
    as_product,
    bold,
    facts_sentence,
    joined,
    price_words,
    stock_words,
)
from engine.types import ProductHit, VariationFact

_SIZE_NAMES = ("size", "sizes", "talla", "taille", "größe", "grosse", "taglia", "tamanho")
# Colours a shopper may ask for that a product may not come in ("and in cream?").
_COMMON_COLOURS = (
    "black white red blue green navy grey gray sand sage cream charcoal brown pink purple "
    "yellow orange beige olive teal khaki burgundy maroon silver gold tan ivory turquoise"
).split()
_LETTER_SIZES = ("XXS", "XS", "S", "M", "L", "XL", "XXL", "XXXL")
_LIST_LIMIT = 8


def _fold(text: str) -> str:
    return " ".join(re.findall(r"[^\W_]+", text.lower()))


def _is_size_axis(attribute: str) -> bool:
    return _fold(attribute) in _SIZE_NAMES


def axes(hit: ProductHit) -> dict[str, list[str]]:
    """Attribute → its options: the variations' options (in the order of the product's
    attribute, else as they come), else the product's attributes."""
    found: dict[str, list[str]] = {}
    for variation in hit.variations:
        for attribute, option in variation.options.items():
            values = found.setdefault(attribute, [])
            if option not in values:
                values.append(option)
    if not found:
        return {attribute: list(values) for attribute, values in hit.attributes.items()}
    for attribute, values in found.items():
        order = [_fold(o) for o in hit.attributes.get(attribute, ())]
        values.sort(key=lambda o: order.index(_fold(o)) if _fold(o) in order else len(order))
    return found


def _mentions(question: str, option: str, attribute: str) -> bool:
    """Whether the question names `option` as a whole word. Sizes like "S" or "44" count
    only after a size word ("size S") or, for letter sizes, written in capitals."""
    folded_question, folded_option = f" {_fold(question)} ", _fold(option)
    if not folded_option or f" {folded_option} " not in folded_question:
        return False
    short = len(folded_option) <= 2 or folded_option.isdigit()
    if not short:
        return True
    if option.upper() in _LETTER_SIZES:
        capitals = rf"(?<![\w'’]){re.escape(option.upper())}(?![\w'’])"
        return _size_before(question, option) or re.search(capitals, question) is not None
    return _size_before(question, option) or (
        _is_size_axis(attribute) and folded_option.isdigit() and len(folded_option) >= 2
    )


def _size_before(question: str, option: str) -> bool:
    names = "|".join(_SIZE_NAMES)
    pattern = rf"\b(?:{names})\s*(?:eu\s*|uk\s*|us\s*)?{re.escape(option)}\b"
    return re.search(pattern, question, re.IGNORECASE) is not None


def named_options(question: str, hit: ProductHit) -> dict[str, str]:
    """Attribute → the option of it the question names (the longest, "Sky Blue" over "Blue")."""
    # "the Blue Rain Jacket" names the jacket, not its blue option.
    question = re.sub(re.escape(hit.title), " ", question, flags=re.IGNORECASE)
    named: dict[str, str] = {}
    for attribute, options in axes(hit).items():
        said = [o for o in options if _mentions(question, o, attribute)]
        if said:
            named[attribute] = max(said, key=len)
    # In the order the shopper said them: "in Rust Red, size L".
    folded = _fold(question)
    return dict(sorted(named.items(), key=lambda item: folded.find(_fold(item[1]))))


def _missing_colours(question: str, hit: ProductHit, vocabulary: Iterable[str]) -> list[str]:
    """Colours (or other options of the store) the question names that this product does
    not come in, unless they are part of its title ("the Sage Kettle")."""
    own = {_fold(o) for options in axes(hit).values() for o in options}
    title = f" {_fold(hit.title)} "
    words = {_fold(w) for w in (*_COMMON_COLOURS, *vocabulary)}
    asked = [
        w
        for w in words
        if len(w) > 2 and f" {w} " in f" {_fold(question)} " and f" {w} " not in title
    ]
    # "sky blue" asked and owned: "blue" is part of it, not a missing colour.
    asked = [w for w in asked if not any(w != o and f" {w} " in f" {o} " for o in own)]
    asked = [w for w in asked if not any(w != a and f" {w} " in f" {a} " for a in asked)]
    return sorted((w for w in asked if w not in own), key=_fold(question).find)


_ASKED_SIZE_RE = re.compile(
    r"\b(?:size|talla|taille|gr[öo](?:ß|ss)e|taglia|tamanho)\s+(?P<size>[A-Za-z]{1,4}|\d{1,3})\b",
    re.IGNORECASE,
)


def _missing(
    question: str, hit: ProductHit, vocabulary: Iterable[str], language: str
) -> tuple[str, list[str]] | None:
    """(what the question asks for that the product does not come in, the options of that
    kind it does come in), or None."""
    product_axes = axes(hit)
    colours = _missing_colours(question, hit, vocabulary)
    if colours:
        own = [o for a, values in product_axes.items() if not _is_size_axis(a) for o in values]
        return joined([c.title() for c in colours], language), own or _every(hit)
    size = _ASKED_SIZE_RE.search(question)
    sizes = next((v for a, v in product_axes.items() if _is_size_axis(a)), None)
    if size is not None and sizes is not None:
        asked = size.group("size")
        if _fold(asked) not in {_fold(o) for o in sizes}:
            return f"size {asked}", sizes
    return None


def _every(hit: ProductHit) -> list[str]:
    return [o for values in axes(hit).values() for o in values]


def _label(attribute: str, option: str, language: str) -> str:
    return f"size {option}" if _is_size_axis(attribute) else option


def _labels(options: dict[str, str], language: str) -> str:
    return ", ".join(_label(a, o, language) for a, o in options.items())


def options_answer(hit: ProductHit, question: str, language: str) -> str | None:
    """ "What colours does it come in?": the options of the axis asked about, else all."""
    product_axes = axes(hit)
    colour_asked = COLOUR_WORD_RE.search(question) is not None
    size_asked = SIZE_WORD_RE.search(question) is not None
    wanted = {
        attribute: values
        for attribute, values in product_axes.items()
        if (colour_asked and not _is_size_axis(attribute) and _is_colour_axis(attribute))
        or (size_asked and _is_size_axis(attribute))
    }
    if (colour_asked or size_asked) and not wanted:
        return None
    chosen = wanted or product_axes
    if not chosen:
        return None
    if len(chosen) == 1:
        options = joined(next(iter(chosen.values())), language)
    else:
        options = "; ".join(
            say(language, "options_attribute", attribute=a, values=joined(v, language))
            for a, v in chosen.items()
        )
    return say(language, "options_all", name=bold(hit), options=options)


def _is_colour_axis(attribute: str) -> bool:
    return COLOUR_WORD_RE.search(attribute) is not None or _fold(attribute) in (
        "color",
        "colour",
        "farbe",
    )


def _matching(variations: Iterable[VariationFact], named: dict[str, str]) -> list[VariationFact]:
    return [
        v
        for v in variations
        if all(_fold(v.options.get(a, "")) == _fold(o) for a, o in named.items())
    ]


def _missing_answer(hit: ProductHit, asked: str, named: dict[str, str], language: str) -> str:
    """The combination does not exist: what does, with the options the shopper named."""
    for attribute, option in named.items():
        with_it = _matching(hit.variations, {attribute: option})
        values = list(
            dict.fromkeys(
                _label(a, v.options[a], language)
                for a in axes(hit)
                if a != attribute
                for v in with_it
                if a in v.options
            )
        )
        if with_it and values:
            return say(
                language,
                "variant_missing_with",
                name=bold(hit),
                asked=asked,
                given=_label(attribute, option, language),
                options=joined(values, language),
            )
    return say(
        language,
        "variant_missing",
        name=bold(hit),
        asked=asked,
        options=joined(_every(hit), language),
    )


def variant_answer(
    hit: ProductHit, question: str, language: str, vocabulary: Iterable[str] = ()
) -> str | None:
    """The answer about the options a question names, or None when it names none."""
    if not axes(hit):
        return None
    named = named_options(question, hit)
    missing = _missing(question, hit, vocabulary, language)
    if missing is not None:
        asked, available = missing
        return say(
            language,
            "variant_missing",
            name=bold(hit),
            asked=asked,
            options=joined(available, language),
        )
    if not named:
        return None
    if not hit.variations:
        # Options known only as attributes (a simple product's): its facts are theirs.
        return say(
            language,
            "options_named",
            name=bold(hit),
            options=_labels(named, language),
            facts=facts_sentence(hit, language),
        )
    matches = _matching(hit.variations, named)
    if not matches:
        return _missing_answer(hit, _labels(named, language), named, language)
    if len(matches) == 1:
        seen = as_product(hit, matches[0])
        return say(
            language,
            "variant_facts",
            name=bold(hit),
            options=_labels(matches[0].options, language),
            price=price_words(seen, language),
            stock=stock_words(seen, language),
        )
    lines = [say(language, "variant_list_intro", name=bold(hit), options=_labels(named, language))]
    for variation in matches[:_LIST_LIMIT]:
        seen = as_product(hit, variation)
        rest = {a: o for a, o in variation.options.items() if a not in named}
        lines.append(
            say(
                language,
                "variant_list_item",
                options=_labels(rest or variation.options, language),
                price=price_words(seen, language),
                stock=stock_words(seen, language),
            )
        )
    return "\n".join(lines)


def price_range(hit: ProductHit) -> tuple[ProductHit, ProductHit] | None:
    """The cheapest and dearest variations seen as the product, when their prices differ."""
    priced = [v for v in hit.variations if v.price is not None]
    if not priced:
        return None
    low = min(priced, key=lambda v: v.price or 0)
    high = max(priced, key=lambda v: v.price or 0)
    if low.price == high.price:
        return None
    return as_product(hit, low), as_product(hit, high)
