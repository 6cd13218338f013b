"""Product copy composed from category vocabulary, in the HTML that real stores hold.

The markup is deliberately messy in the ways WooCommerce content is: entities (`&amp;`,
`&nbsp;`, `&#8211;`), lists, the odd tracking `<script>`/`<style>` pasted in by a page
builder, and `[caption]` shortcodes.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from html import escape

from emulators.catalog.vocab import OPENERS, CategoryVocab, NounSpec

# A marker the rendering tests look for: it must never reach the indexed text.
SCRIPT_MARKER = "TRACKING_PIXEL_SHOULD_NOT_BE_INDEXED"


@dataclass(frozen=True)
class ProductCopy:
    material: str
    features: tuple[str, ...]
    uses: tuple[str, ...]
    care: str
    short_html: str
    description_html: str


def sentence_case(text: str) -> str:
    """Upper-case the first letter only ("EVA foam" must stay "EVA foam")."""
    return text[:1].upper() + text[1:]


def compose_copy(
    rng: random.Random, vocab: CategoryVocab, spec: NounSpec, name: str, sku: str
) -> ProductCopy:
    noun = spec.noun
    material = rng.choice(spec.materials)
    features = tuple(rng.sample(spec.features, k=min(3, len(spec.features))))
    uses = tuple(rng.sample(spec.uses, k=min(2, len(spec.uses))))
    care = rng.choice(vocab.care)
    opener = rng.choice(OPENERS)

    parts = [
        f"<p>The <strong>{escape(name)}</strong> is {opener}, made from {escape(material)}. "
        f"It comes with {escape(features[0])}.</p>",
        "<h3>Features</h3>",
        "<ul>" + "".join(f"<li>{sentence_case(escape(f))}</li>" for f in features) + "</ul>",
        f"<p>Ideal for {escape(uses[0])} &amp; {escape(uses[-1])}.&nbsp;"
        f"Designed in Bergen &#8211; tested by our team outdoors.</p>",
        f"<p><em>Care:</em> {escape(care)}</p>",
    ]
    roll = rng.random()
    if roll < 0.06:
        parts.append(
            '<script type="text/javascript">window.dataLayer = window.dataLayer || [];'
            f'dataLayer.push({{"event": "view", "sku": "{sku}", "m": "{SCRIPT_MARKER}"}});</script>'
        )
        parts.insert(
            0, f"<style>.badge-{sku.lower()} {{ color: #c00; }} /* {SCRIPT_MARKER} */</style>"
        )
    elif roll < 0.12:
        parts.insert(
            1,
            f'[caption id="attachment_{rng.randint(10, 999)}" align="alignnone" width="300"]'
            f'<img src="/wp-content/uploads/detail.jpg" alt="" /> '
            f"Close-up of the {escape(noun.lower())}[/caption]",
        )
    description_html = "\n".join(parts) + "\n"
    short_html = (
        f"<p>{sentence_case(escape(material))} {escape(noun.lower())} "
        f"with {escape(features[1 % len(features)])}.</p>\n"
    )
    return ProductCopy(material, features, uses, care, short_html, description_html)


def review_html(rng: random.Random, vocab: CategoryVocab, spec: NounSpec, rating: int) -> str:
    pool = vocab.praise if rating >= 4 else vocab.complaints
    first = rng.choice(pool)
    second = f"Bought it for {rng.choice(spec.uses)}."
    return f"<p>{escape(first)} {escape(second)}</p>\n"
