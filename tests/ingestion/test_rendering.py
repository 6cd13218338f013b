"""Rendering: clean text for retrieval, no prices in it, facts on the side, a stable hash."""

from __future__ import annotations

import json
import random
import re
from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from core.embedding_spaces import MINILM_L6_V2
from core.errors import BadRequest
from emulators.catalog import SCRIPT_MARKER, generate_catalog
from ingestion.indexing.documents import ProductDocument, product_row
from ingestion.rendering import (
    PRICE_PLACEHOLDER,
    html_to_text,
    render_knowledge,
    render_product,
    scrub_prices,
)
from ingestion.woocommerce import ProductRecord, ReviewRecord, map_product, map_review

EXAMPLES = Path(__file__).resolve().parents[1] / "fixtures" / "woocommerce" / "examples"
NOW = datetime(2024, 6, 1, tzinfo=UTC)


def _product(**changes: Any) -> ProductRecord:
    base = ProductRecord(
        external_id=10,
        parent_external_id=None,
        kind="product",
        type="variable",
        status="publish",
        sku="TEE-1",
        name="Ærø Merino T-Shirt",
        slug="aero-merino-t-shirt",
        permalink="https://shop.test/product/aero-merino-t-shirt/",
        price=Decimal("29.00"),
        regular_price=None,
        sale_price=None,
        on_sale=False,
        currency="EUR",
        stock_status="instock",
        stock_quantity=None,
        manage_stock=False,
        categories=("Apparel", "T-shirts"),
        tags=("sustainable",),
        attributes=(
            ("Colour", ("Blue", "Red", "Green")),
            ("Size", ("S", "M", "L")),
            ("Material", ("Merino wool",)),
        ),
        image_url="https://shop.test/tee.jpg",
        short_description_html="<p>Soft &amp; light merino tee.</p>",
        description_html="<p>Made in Portugal.</p>",
        date_modified_gmt=NOW,
        average_rating=4.5,
        rating_count=2,
        variation_attribute_names=("Colour", "Size"),
    )
    return replace(base, **changes)


def _variation(
    variation_id: int,
    colour: str,
    size: str,
    price: str,
    status: str = "publish",
    stock: str = "instock",
) -> ProductRecord:
    parent = _product()
    return replace(
        parent,
        external_id=variation_id,
        parent_external_id=parent.external_id,
        kind="variation",
        type="variation",
        status=status,
        name=f"{parent.name} - {colour}, {size}",
        price=Decimal(price),
        regular_price=Decimal(price),
        attributes=(("Colour", (colour,)), ("Size", (size,))),
        stock_status=stock,
        variation_attribute_names=(),
        permalink=f"{parent.permalink}?attribute_pa_colour={colour.lower()}",
    )


def _review(review_id: int, rating: int, text: str, status: str = "approved") -> ReviewRecord:
    return ReviewRecord(review_id, 10, "Zoë", rating, f"<p>{text}</p>", True, status, NOW)


VARIATIONS = (
    _variation(11, "Blue", "S", "29.00"),
    _variation(12, "Red", "M", "31.00", stock="outofstock"),
    _variation(13, "Red", "L", "33.00"),
    _variation(14, "Green", "S", "29.00", status="private"),
)


def test_html_scripts_styles_entities_and_shortcodes_are_cleaned() -> None:
    html = (
        "<style>.x{color:red}</style><p>Wash &amp; dry&nbsp;&#8211; caf&eacute;</p>"
        '<script>alert("x")</script>'
        '[caption id="a1" width="300"]<img src="a.jpg"/> Stitching[/caption]'
        "<ul><li>One</li><li>Two<br>lines</li></ul><!-- hidden comment --><h3>Care</h3>"
    )
    assert html_to_text(html) == "Wash & dry – café\n\nStitching\n\n- One\n- Two\nlines\n\nCare"


def test_variation_options_summarise_published_variations_in_parent_order() -> None:
    rendered = render_product(_product(variations=VARIATIONS))
    # Green exists only as a disabled (private) variation, so it is not on offer;
    # out-of-stock Red is.
    assert "Available in: Colour Blue, Red; Size S, M, L" in rendered.body
    assert "Material: Merino wool" in rendered.body
    assert (
        rendered.attributes_text == "Colour: Blue, Red, Green; Size: S, M, L; Material: Merino wool"
    )


def test_body_has_name_categories_descriptions_and_reviews() -> None:
    reviews = [
        _review(1, 5, "Lovely and warm."),
        _review(2, 4, "Fits well."),
        _review(3, 1, "Spam!", status="hold"),
    ]
    body = render_product(_product(variations=VARIATIONS), reviews).body
    assert body.startswith(
        "Ærø Merino T-Shirt\nCategories: Apparel, T-shirts\nTags: sustainable\nSKU: TEE-1"
    )
    assert "Soft & light merino tee." in body and "Made in Portugal." in body
    assert "Customer reviews: rated 4.5 out of 5 from 2 ratings." in body
    assert '"Lovely and warm." (Zoë, 5/5)' in body and "Spam" not in body


def test_prices_and_stock_live_in_facts_never_in_text() -> None:
    product = _product(
        variations=VARIATIONS, description_html="<p>Now only €19.99, was 24,99 €!</p>"
    )
    rendered = render_product(product)
    for amount in ("29.00", "31.00", "33.00", "29", "19.99", "24,99"):
        assert amount not in rendered.body
    assert "€" not in rendered.body and "out of stock" not in rendered.body.lower()
    assert f"Now only {PRICE_PLACEHOLDER}, was {PRICE_PLACEHOLDER}!" in rendered.body
    row = product_row(product)  # the facts travel beside the text, into columns
    assert (row.facts.price, row.currency) == (Decimal("29.00"), "EUR")
    assert row.facts.stock_status == "instock"
    assert row.facts.permalink and row.facts.permalink.endswith("/aero-merino-t-shirt/")
    assert [v.external_id for v in row.variations] == ["11", "12", "13"]
    assert [v.facts.price for v in row.variations] == [Decimal(p) for p in ("29", "31", "33")]
    assert row.variations[1].facts.stock_status == "outofstock"
    assert row.variations[1].facts.attributes == {"Colour": ["Red"], "Size": ["M"]}


def test_no_generated_product_leaks_a_price_or_a_script() -> None:
    catalog = generate_catalog(200, seed=21)
    reviews: dict[int, list[ReviewRecord]] = {}
    for raw in catalog.reviews:
        reviews.setdefault(raw["product_id"], []).append(map_review(raw))
    for raw in catalog.products:
        record = map_product(raw, currency="EUR", variations=catalog.variations.get(raw["id"], []))
        rendered = render_product(record, reviews.get(raw["id"], ()))
        assert (
            SCRIPT_MARKER not in rendered.body
            and "<" not in rendered.body
            and "&amp;" not in rendered.body
        )
        prices = {raw["price"], raw["regular_price"], raw["sale_price"]} - {""}
        prices |= {v["price"] for v in catalog.variations.get(raw["id"], [])}
        assert not any(
            re.search(rf"(?<![\d.]){re.escape(p)}(?![\d])", rendered.body) for p in prices
        )


def _indexed(product: ProductRecord) -> ProductDocument:
    return ProductDocument.from_record(product)


def test_hash_is_stable_and_tracks_everything_indexable() -> None:
    space = MINILM_L6_V2.name
    product = _product(variations=VARIATIONS)
    first = _indexed(product)
    assert _indexed(product).text_hash(space) == first.text_hash(space)
    cheaper = replace(
        product, variations=(replace(VARIATIONS[0], price=Decimal("25.00")), *VARIATIONS[1:])
    )
    repriced = _indexed(cheaper)
    # The price moved, the text did not: no re-embedding, the columns take the change.
    assert repriced.text_hash(space) == first.text_hash(space) and repriced.row != first.row
    reworded = _indexed(replace(product, description_html="<p>Made in Porto.</p>"))
    assert reworded.text_hash(space) != first.text_hash(space)
    restocked_variation = replace(VARIATIONS[1], stock_status="instock")
    restocked = _indexed(
        replace(product, variations=(VARIATIONS[0], restocked_variation, *VARIATIONS[2:]))
    )
    assert restocked.text_hash(space) == first.text_hash(space) and restocked.row != first.row
    assert first.text_hash("openai-3-small-384") != first.text_hash(space)


def test_hash_does_not_depend_on_json_key_order() -> None:
    raw = json.loads((EXAMPLES / "product_retrieve_794.json").read_text())
    keys = list(raw)
    random.Random(4).shuffle(keys)
    shuffled = {key: raw[key] for key in keys}
    assert list(shuffled) != list(raw)
    a = _indexed(map_product(raw, currency="USD"))
    b = _indexed(map_product(shuffled, currency="USD"))
    space = MINILM_L6_V2.name
    assert a.text_hash(space) == b.text_hash(space) and a.row == b.row
    assert a.rendered and a.rendered.body.startswith(
        "Premium Quality\nCategories: Clothing, T-shirts"
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Only $9.99 today", f"Only {PRICE_PLACEHOLDER} today"),
        ("USD 20 or $10–$15", f"{PRICE_PLACEHOLDER} or {PRICE_PLACEHOLDER}"),
        ("costs 12 euros", f"costs {PRICE_PLACEHOLDER}"),
        *[
            (no_money, no_money)
            for no_money in ("weighs 20 pounds, holds 20,000 mAh", "size 42, 4K at 60 fps")
        ],
    ],
)
def test_scrub_prices(text: str, expected: str) -> None:
    assert scrub_prices(text) == expected


def test_knowledge_documents_become_plain_text() -> None:
    markdown = (
        "# Shipping\n\nWe ship **worldwide** with [DHL](https://dhl.com).\n\n"
        "| Zone | Days |\n|---|---|\n| EU | 2-3 |\n\n"
        "* Free over 50\n* Returns: 30 days `policy_v2`\n"
    )
    assert render_knowledge("Shipping", markdown, "markdown") == (
        "Shipping\n\nWe ship worldwide with DHL.\n\nZone | Days\nEU | 2-3\n\n"
        "- Free over 50\n- Returns: 30 days policy_v2"
    )
    assert (
        render_knowledge(
            "Returns", "<h2>Returns</h2><p>Within&nbsp;30 days.</p><script>x()</script>", "html"
        )
        == "Returns\n\nWithin 30 days."
    )
    plain = render_knowledge("FAQ", "  Do you ship\tto Norway?\n\n\n\nYes.  ", "text")
    assert plain == "FAQ\n\nDo you ship to Norway?\n\nYes."
    with pytest.raises(BadRequest):
        render_knowledge("x", "y", "pdf")


def test_weight_and_dimensions_are_in_the_text_so_questions_about_them_find_it() -> None:
    body = render_product(
        _product(weight="0.35", dimensions=(("length", "70"), ("width", "50"), ("height", "2")))
    ).body
    assert "Weight: 0.35" in body
    assert "Dimensions (length × width × height): 70 × 50 × 2" in body
    assert "Weight" not in render_product(_product()).body
    assert "Dimensions" not in render_product(_product()).body
