"""Mapping checked against WooCommerce's own documentation examples, not only our fake."""

from __future__ import annotations

import json
from dataclasses import FrozenInstanceError, replace
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from emulators.catalog import SAMPLE_DIR, load_sample_csv
from ingestion.indexing.documents import product_row
from ingestion.woocommerce import is_indexable, map_product, map_review
from ingestion.woocommerce.mapping import parse_price

EXAMPLES = Path(__file__).resolve().parents[1] / "fixtures" / "woocommerce" / "examples"


def _example(name: str) -> Any:
    return json.loads((EXAMPLES / name).read_text())


def test_documented_simple_product() -> None:
    record = map_product(_example("product_retrieve_794.json"), currency="USD")
    assert (
        record.external_id == 794 and record.kind == "product" and record.parent_external_id is None
    )
    assert (
        record.name == "Premium Quality" and record.type == "simple" and record.status == "publish"
    )
    assert record.price == Decimal("21.99") and record.regular_price == Decimal("21.99")
    assert record.sale_price is None and record.on_sale is False and record.currency == "USD"
    assert record.categories == ("Clothing", "T-shirts")
    assert record.image_url and record.image_url.endswith(".jpg")
    assert record.date_modified_gmt == datetime(2017, 3, 23, 20, 1, 14, tzinfo=UTC)
    assert record.stock_quantity is None and record.manage_stock is False
    assert record.description_html.startswith("<p>")
    with pytest.raises(FrozenInstanceError):
        record.name = "changed"  # type: ignore[misc]  # deliberate: the record is frozen


def test_documented_variable_product_joined_with_documented_variations() -> None:
    parent = _example("products_list_response.json")[0]
    variations = _example("product_variations_list_response.json")
    record = map_product(parent, currency="USD", variations=variations)
    assert record.type == "variable" and record.price is None  # "" means no price, not zero
    assert record.variation_attribute_names == ("Color", "Size")
    assert [v.external_id for v in record.variations] == sorted(v["id"] for v in variations)
    green = next(v for v in record.variations if v.attributes == (("Color", ("Green",)),))
    assert green.kind == "variation" and green.parent_external_id == record.external_id
    assert green.name == "Ship Your Idea - Green" and green.price == Decimal("9.00")
    assert green.categories == record.categories and green.permalink.endswith(
        "attribute_pa_color=green"
    )


def test_documented_review_and_category_shapes() -> None:
    review = map_review(
        {
            "id": 22,
            "date_created_gmt": "2018-10-18T20:48:19",
            "product_id": 22,
            "status": "approved",
            "reviewer": "John Doe &amp; Co",
            "review": "<p>Nice album!</p>\n",
            "rating": 5,
            "verified": False,
        }
    )
    assert review.reviewer == "John Doe & Co" and review.rating == 5
    assert review.date_created_gmt.tzinfo is UTC


@pytest.mark.parametrize(
    ("changes", "indexable"),
    [
        ({}, True),
        ({"status": "draft"}, False),
        ({"status": "pending"}, False),
        ({"status": "private"}, False),
        ({"status": "trash"}, False),
        ({"catalog_visibility": "hidden"}, False),
        ({"catalog_visibility": "search"}, True),
        ({"post_password": "secret"}, False),
    ],
)
def test_only_publicly_visible_products_are_indexable(
    changes: dict[str, str], indexable: bool
) -> None:
    raw = {**_example("product_retrieve_794.json"), **changes}
    assert is_indexable(map_product(raw, currency="USD")) is indexable


def test_entities_in_names_and_terms_are_decoded() -> None:
    raw = _example("product_retrieve_794.json")
    raw = {
        **raw,
        "name": "Men&#8217;s Tee &amp; Cap",
        "categories": [{"id": 1, "name": "Shirts &amp; Tops", "slug": "shirts-tops"}],
    }
    record = map_product(raw, currency="EUR")
    assert record.name == "Men’s Tee & Cap" and record.categories == ("Shirts & Tops",)


@pytest.mark.parametrize(
    ("raw", "parsed"),
    [
        ("21.99", Decimal("21.99")),
        ("", None),
        (None, None),
        ("abc", None),
        (5, Decimal("5")),
        ("NaN", None),
    ],
)
def test_prices_are_decimals_or_none(raw: object, parsed: Decimal | None) -> None:
    assert parse_price(raw) == parsed


def test_woocommerce_sample_catalogue_maps_completely() -> None:
    catalog = load_sample_csv(SAMPLE_DIR / "sample_products.csv")
    records = [
        map_product(p, currency="USD", variations=catalog.variations.get(p["id"], []))
        for p in catalog.products
    ]
    hoodie = next(r for r in records if r.name == "Hoodie")
    assert {v.name for v in hoodie.variations} >= {"Hoodie - Red, No", "Hoodie - Blue, Yes"}
    assert all(r.currency == "USD" for r in records)
    # WooCommerce's own sample data hides one product from the catalogue.
    assert [r.name for r in records if not is_indexable(r)] == ["Hoodie with Pocket"]
    assert replace(hoodie, name="x").name == "x"  # records are plain frozen dataclasses


def test_weight_and_dimensions_are_kept_as_the_store_sends_them() -> None:
    raw = _example("product_retrieve_794.json")
    assert map_product(raw, currency="USD").weight == ""
    assert map_product(raw, currency="USD").dimensions == ()
    raw |= {"weight": "1.25", "dimensions": {"length": "30", "width": "", "height": "4.5"}}
    record = map_product(raw, currency="USD")
    assert record.weight == "1.25"
    assert record.dimensions == (("length", "30"), ("height", "4.5"))
    row = product_row(record)
    assert (row.weight, row.dimensions) == ("1.25", {"length": "30", "height": "4.5"})
    assert product_row(map_product(raw | {"weight": ""}, currency="USD")).weight is None
