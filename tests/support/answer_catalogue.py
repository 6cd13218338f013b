"""A small catalogue for the answer-metric tests, written from the demo store's facts
(cli/demo/catalogue.json.gz, published products only): the same titles, prices, stock and
variations, but for one variation marked sold out where a test needs one."""

from __future__ import annotations

from typing import Any

from evals.answers.records import (
    Catalogue,
    CatalogueProduct,
    CatalogueVariant,
    Expectation,
    Tag,
    Turn,
    TurnResult,
)

SKILLET = "106"  # Nordkap Cast Iron Skillet, $142.99, four colours
DUVET = "242"  # Tundra Linen Duvet Cover, on sale: $123.99, was $145.99
SHOE = "102"  # Cedar Trail Running Shoe, $93.50
SHOE_PRO = "430"  # Cedar Trail Running Shoe Pro, $59.50
PARFUM = "184"  # Zürich Eau de Parfum, $13.00, out of stock
SHIRT = "100"  # Côte Linen Shirt, $114.00
LINEN = "286"  # Trailhead Linen Shirt, $26.00; XL $31.00; Sand XL sold out here
EMAIL = "help@demo-outfitters.example.com"


def _product(
    ref: str, title: str, price: str, stock: str = "in_stock", **more: Any
) -> CatalogueProduct:
    return CatalogueProduct(
        external_id=ref,
        title=title,
        price=price,
        regular_price=more.pop("regular_price", price),
        stock=stock,
        categories=more.pop("categories", []),
        attributes=more.pop("attributes", {}),
        variants=more.pop("variants", []),
    )


def demo_catalogue() -> Catalogue:
    colours = ["Cherry Red", "Sage", "Black", "Cream"]
    skillet_variants = [
        CatalogueVariant(str(108 + 2 * i), {"Colour": c}, "142.99", "in_stock")
        for i, c in enumerate(colours)
    ]
    linen_variants = [
        CatalogueVariant(str(288 + 2 * i), {"Colour": colour, "Size": size}, price, stock)
        for i, (colour, size, price, stock) in enumerate(
            [
                ("Sky Blue", "M", "26.00", "in_stock"),
                ("Sky Blue", "L", "26.00", "in_stock"),
                ("Sky Blue", "XL", "31.00", "in_stock"),
                ("Sand", "M", "26.00", "in_stock"),
                ("Sand", "L", "26.00", "in_stock"),
                ("Sand", "XL", "31.00", "out_of_stock"),
            ]
        )
    ]
    products = [
        _product(
            SKILLET,
            "Nordkap Cast Iron Skillet",
            "142.99",
            attributes={"Colour": colours, "Material": ["Tri-ply stainless steel"]},
            variants=skillet_variants,
        ),
        _product(DUVET, "Tundra Linen Duvet Cover", "123.99", regular_price="145.99"),
        _product(SHOE, "Cedar Trail Running Shoe", "93.50"),
        _product(SHOE_PRO, "Cedar Trail Running Shoe Pro", "59.50"),
        _product(PARFUM, "Zürich Eau de Parfum", "13.00", "out_of_stock"),
        _product(SHIRT, "Côte Linen Shirt", "114.00", attributes={"Material": ["Merino wool"]}),
        _product(
            LINEN,
            "Trailhead Linen Shirt",
            "26.00",
            attributes={
                "Colour": ["Sky Blue", "Sand"],
                "Size": ["M", "L", "XL"],
                "Material": ["Organic cotton"],
            },
            variants=linen_variants,
        ),
    ]
    return Catalogue(
        currency="USD", products={p.external_id: p for p in products}, support_email=EMAIL
    )


def turn(
    message: str = "question",
    *,
    page: str | None = None,
    tags: list[Tag] | None = None,
    **expect: Any,
) -> Turn:
    return Turn(message, tags or [Tag.SEARCH], Expectation(**expect), page_product=page)


def result(
    answer: str = "",
    *,
    cards: list[str] | None = None,
    conversation: str = "c-1",
    index: int = 0,
    tags: list[str] | None = None,
    **more: Any,
) -> TurnResult:
    return TurnResult(
        conversation=conversation,
        index=index,
        message="question",
        tags=tags or ["search"],
        answer=answer,
        cards=cards or [],
        documents=[],
        status=more.pop("status", "ok"),
        latency_ms=more.pop("latency_ms", 100.0),
        prompt_tokens=more.pop("prompt_tokens", None),
        completion_tokens=more.pop("completion_tokens", None),
        cost_usd=more.pop("cost_usd", None),
        model="offline-grounded",
        rewritten_query=None,
        **more,
    )
