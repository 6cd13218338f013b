"""A product seen as one of its variations, and the variation a sentence names.

"The Aurora Tee in Rust Red, size L is $59.99 and in stock" is a fact about that variation
(`ProductHit.variations`), not the parent: the guardrails check it against the variation's
own price and stock, and the offline answerer words it with the same view.
"""

from __future__ import annotations

import dataclasses
import re

from engine.types import ProductHit, VariationFact

# Options this short ("S", "44") name a size only after the word "size".
_SHORT_OPTION = 2


def as_variation(hit: ProductHit, variation: VariationFact) -> ProductHit:
    """The parent with one variation's live facts: its price, sale and stock are the
    variation's own, never the parent's."""
    return dataclasses.replace(
        hit,
        price=variation.price,
        regular_price=variation.regular_price,
        sale_price=variation.sale_price,
        on_sale=variation.on_sale,
        in_stock=variation.in_stock,
        stock_status=variation.stock_status,
        stock_quantity=variation.stock_quantity,
    )


def _names(sentence: str, option: str) -> bool:
    escaped = re.escape(option)
    if len(option) <= _SHORT_OPTION or option.isdigit():
        return re.search(rf"\bsize\s+{escaped}(?!\w)", sentence, re.IGNORECASE) is not None
    return re.search(rf"(?<!\w){escaped}(?!\w)", sentence, re.IGNORECASE) is not None


def named_variations(hit: ProductHit, sentence: str) -> list[VariationFact]:
    """The variations the sentence names the most options of ("Sand, size XL": the Sand XL;
    "size XL": every XL); none when it names no option."""
    counts = [
        (sum(1 for option in v.options.values() if _names(sentence, option)), v)
        for v in hit.variations
    ]
    most = max((count for count, _ in counts), default=0)
    return [v for count, v in counts if most and count == most]


def every_view(hit: ProductHit) -> list[ProductHit]:
    """The product and each of its variations, as products."""
    return [hit, *(as_variation(hit, v) for v in hit.variations)]
