"""Variable products: attribute axes, one variation per combination, parent prices derived."""

from __future__ import annotations

import itertools
import random
from datetime import datetime
from decimal import Decimal

from emulators.catalog.model import Catalog, slugify
from emulators.catalog.pricing import apply_prices, apply_stock, discounted
from emulators.catalog.shapes import JsonDict, image_shape, range_html, variation_shape
from emulators.catalog.vocab import Variants

# Global attributes (pa_colour, pa_size) have term ids; custom per-product ones have id 0.
GLOBAL_ATTRIBUTE_IDS = {"Colour": 1, "Size": 2}
MAX_VARIATIONS = 15
SURCHARGED_SIZES = {"XL", "44", "45"}


def pick_axes(rng: random.Random, variants: Variants) -> list[tuple[str, list[str]]]:
    axes: list[tuple[str, list[str]]] = []
    for name, options in variants.axes:
        if name == "Size":
            count = rng.randint(3, min(5, len(options)))
            start = rng.randint(0, len(options) - count)
            axes.append((name, list(options[start : start + count])))  # sizes stay contiguous
        else:
            axes.append((name, rng.sample(options, k=rng.randint(2, min(4, len(options))))))
    return axes


def build_variations(
    catalog: Catalog,
    rng: random.Random,
    parent: JsonDict,
    axes: list[tuple[str, list[str]]],
    base_price: Decimal,
    sale_mode: str,
    modified_gmt: datetime,
) -> None:
    """Attach variations to `parent` and derive the parent's price/stock summary from them."""
    settings = catalog.settings
    parent["attributes"] = [
        {
            "id": GLOBAL_ATTRIBUTE_IDS.get(name, 0),
            "name": name,
            "position": position,
            "visible": True,
            "variation": True,
            "options": options,
        }
        for position, (name, options) in enumerate(axes)
    ]
    combos = list(itertools.product(*(options for _, options in axes)))[:MAX_VARIATIONS]
    variations: list[JsonDict] = []
    for combo in combos:
        variation_id = catalog.allocate_post_id()
        query = "&".join(
            f"attribute_pa_{slugify(name)}={slugify(option)}"
            for (name, _), option in zip(axes, combo, strict=True)
        )
        variation = variation_shape(
            variation_id=variation_id,
            parent_id=parent["id"],
            permalink=f"{parent['permalink']}?{query}",
            site_url=catalog.site_url,
            settings=settings,
            created_gmt=modified_gmt,
            modified_gmt=modified_gmt,
        )
        regular = base_price + (Decimal("5.00") if set(combo) & SURCHARGED_SIZES else Decimal(0))
        apply_prices(variation, regular, discounted(regular, rng), sale_mode, settings)
        apply_stock(variation, rng, out_of_stock_rate=0.12)
        variation["sku"] = f"{parent['sku']}-" + "-".join(slugify(o)[:3].upper() for o in combo)
        variation["attributes"] = [
            {"id": GLOBAL_ATTRIBUTE_IDS.get(name, 0), "name": name, "option": option}
            for (name, _), option in zip(axes, combo, strict=True)
        ]
        if rng.random() < 0.05:
            variation["status"] = "private"  # a disabled variation: not for sale, not to be indexed
            variation["purchasable"] = False
        image_id = catalog.allocate_post_id()
        variation["image"] = image_shape(
            image_id,
            f"{catalog.site_url}/wp-content/uploads/2024/05/{parent['slug']}-{slugify(combo[0])}.jpg",
            f"{parent['slug']}-{slugify(combo[0])}",
            modified_gmt,
            settings,
        )
        variations.append(variation)

    catalog.variations[parent["id"]] = variations
    parent["variations"] = [v["id"] for v in variations]
    parent["default_attributes"] = [
        {"id": GLOBAL_ATTRIBUTE_IDS.get(name, 0), "name": name, "option": slugify(options[0])}
        for name, options in axes
    ]
    summarise_parent(parent, variations, catalog)


def summarise_parent(parent: JsonDict, variations: list[JsonDict], catalog: Catalog) -> None:
    """A variable product's own `price` is its cheapest purchasable variation; its regular
    and sale prices stay ""."""
    live = [v for v in variations if v["status"] == "publish" and v["price"]]
    prices = [Decimal(v["price"]) for v in live]
    parent["regular_price"] = ""
    parent["sale_price"] = ""
    parent["price"] = f"{min(prices):.2f}" if prices else ""
    parent["price_html"] = range_html(min(prices), max(prices), catalog.settings) if prices else ""
    parent["on_sale"] = any(v["on_sale"] for v in live)
    in_stock = any(v["stock_status"] != "outofstock" for v in live)
    parent["stock_status"] = "instock" if in_stock else "outofstock"
    parent["manage_stock"] = False
    parent["stock_quantity"] = None
