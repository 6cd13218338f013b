"""Turn WooCommerce's own sample-data CSVs into the catalogue JSON the fake store serves.

Column semantics follow WooCommerce's product CSV importer: `Published` 1/0/-1 means
publish/private/draft, `Categories` holds `Parent > Child` paths (the leaf is assigned),
`Parent` of a variation is the parent's SKU (or `id:NN`), `Grouped products` lists SKUs.
Descriptions get `wpautop()`-style paragraphs because that is what the REST API returns in
the default `view` context.
"""

from __future__ import annotations

import csv
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path

from emulators.catalog.model import Catalog, slugify
from emulators.catalog.pricing import apply_prices
from emulators.catalog.shapes import (
    JsonDict,
    StoreSettings,
    date_pair,
    image_shape,
    product_shape,
    variation_shape,
)
from emulators.catalog.variable import GLOBAL_ATTRIBUTE_IDS, summarise_parent

SAMPLE_DIR = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "woocommerce" / "sample"
SAMPLE_FILES = (
    "sample_products.csv",
    "experimental_sample_9_products.csv",
    "experimental_fashion_sample_9_products.csv",
)
IMPORTED_AT = datetime(2024, 3, 1, 9, 0, 0)
PUBLISHED_TO_STATUS = {"1": "publish", "0": "private", "-1": "draft"}
STOCK_FLAG_TO_STATUS = {"1": "instock", "0": "outofstock", "backorder": "onbackorder"}


def load_sample_csv(
    path: Path | str,
    *,
    site_url: str = "https://shop.example.test",
    settings: StoreSettings | None = None,
) -> Catalog:
    catalog = Catalog(
        site_url=site_url.rstrip("/"), settings=settings or StoreSettings(), next_post_id=1000
    )
    with open(path, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))

    by_sku: dict[str, JsonDict] = {}
    by_id: dict[int, JsonDict] = {}
    pending_variations: list[tuple[dict[str, str], int]] = []
    for index, row in enumerate(rows):
        moment = IMPORTED_AT + timedelta(minutes=index)
        row_id = int(row["ID"]) if row.get("ID") else catalog.allocate_post_id()
        if _base_type(row) == "variation":
            pending_variations.append((row, row_id))
            continue
        product = _product_from_row(catalog, row, row_id, moment)
        catalog.products.append(product)
        by_id[product["id"]] = product
        if product["sku"]:
            by_sku[product["sku"]] = product

    for row, row_id in pending_variations:
        parent = _resolve_reference(row["Parent"], by_sku, by_id)
        if parent is not None:
            _add_variation(catalog, parent, row, row_id)
    for parent_id, variations in catalog.variations.items():
        parent = by_id[parent_id]
        used = {a["name"] for v in variations for a in v["attributes"]}
        for attribute in parent["attributes"]:
            attribute["variation"] = attribute["name"] in used
        parent["variations"] = [v["id"] for v in variations]
        summarise_parent(parent, variations, catalog)
    for row in rows:
        grouped = row.get("Grouped products", "")
        if _base_type(row) == "grouped" and grouped:
            product = by_sku.get(row["SKU"]) or by_id[int(row["ID"])]
            children = [_resolve_reference(ref, by_sku, by_id) for ref in _split(grouped)]
            product["grouped_products"] = [c["id"] for c in children if c is not None]

    variation_ids = [v["id"] for vs in catalog.variations.values() for v in vs]
    catalog.next_post_id = max([catalog.next_post_id, *by_id, *variation_ids]) + 1
    catalog.refresh_category_counts()
    return catalog


def load_all_samples(*, site_url: str = "https://shop.example.test") -> dict[str, Catalog]:
    return {name: load_sample_csv(SAMPLE_DIR / name, site_url=site_url) for name in SAMPLE_FILES}


def _product_from_row(
    catalog: Catalog, row: dict[str, str], row_id: int, moment: datetime
) -> JsonDict:
    kinds = [k.strip() for k in row["Type"].split(",")]
    product = product_shape(
        product_id=row_id,
        name=row["Name"],
        slug=slugify(row["Name"]),
        site_url=catalog.site_url,
        settings=catalog.settings,
        created_gmt=moment,
        modified_gmt=moment,
        product_type=kinds[0],
        status=PUBLISHED_TO_STATUS.get(row["Published"], "draft"),
    )
    product.update(
        sku=row["SKU"],
        featured=row["Is featured?"] == "1",
        catalog_visibility=row["Visibility in catalog"] or "visible",
        description=wpautop(row["Description"]),
        short_description=wpautop(row["Short description"]),
        virtual="virtual" in kinds,
        downloadable="downloadable" in kinds,
        reviews_allowed=row["Allow customer reviews?"] == "1",
        purchase_note=row["Purchase note"],
        external_url=row["External URL"],
        button_text=row["Button text"],
        weight=row["Weight (lbs)"],
        dimensions={
            "length": row["Length (in)"],
            "width": row["Width (in)"],
            "height": row["Height (in)"],
        },
    )
    _apply_row_prices(catalog, product, row)
    _apply_row_stock(product, row)
    product["categories"] = [_category_ref(catalog, path) for path in _split(row["Categories"])]
    product["tags"] = [
        {"id": t["id"], "name": t["name"], "slug": t["slug"]}
        for t in map(catalog.ensure_tag, _split(row["Tags"]))
    ]
    product["images"] = [
        image_shape(catalog.allocate_post_id(), src, Path(src).stem, moment, catalog.settings)
        for src in _split(row["Images"])
    ]
    product["attributes"] = [
        {
            "id": GLOBAL_ATTRIBUTE_IDS.get(name, 0) if is_global else 0,
            "name": name,
            "position": position,
            "visible": visible,
            "variation": False,
            "options": values,
        }
        for position, (name, values, visible, is_global) in enumerate(_row_attributes(row))
    ]
    if product["type"] in ("external", "grouped"):
        product["purchasable"] = False
    return product


def _add_variation(catalog: Catalog, parent: JsonDict, row: dict[str, str], row_id: int) -> None:
    attributes = [(name, values[0]) for name, values, _, _ in _row_attributes(row) if values]
    query = "&".join(
        f"attribute_pa_{slugify(name)}={slugify(option)}" for name, option in attributes
    )
    variation = variation_shape(
        variation_id=row_id,
        parent_id=parent["id"],
        permalink=f"{parent['permalink']}?{query}",
        site_url=catalog.site_url,
        settings=catalog.settings,
        created_gmt=IMPORTED_AT,
        modified_gmt=IMPORTED_AT,
    )
    variation["sku"] = row["SKU"]
    variation["description"] = wpautop(row["Description"])
    variation["status"] = "publish" if row["Published"] == "1" else "private"
    variation["attributes"] = [
        {"id": GLOBAL_ATTRIBUTE_IDS.get(name, 0), "name": name, "option": option}
        for name, option in attributes
    ]
    images = _split(row["Images"])
    if images:
        variation["image"] = image_shape(
            catalog.allocate_post_id(),
            images[0],
            Path(images[0]).stem,
            IMPORTED_AT,
            catalog.settings,
        )
    _apply_row_prices(catalog, variation, row)
    _apply_row_stock(variation, row)
    catalog.variations.setdefault(parent["id"], []).append(variation)


def _apply_row_prices(catalog: Catalog, item: JsonDict, row: dict[str, str]) -> None:
    if not row["Regular price"]:
        return
    regular = Decimal(row["Regular price"])
    sale = Decimal(row["Sale price"]) if row["Sale price"] else None
    starts, ends = row["Date sale price starts"], row["Date sale price ends"]
    apply_prices(item, regular, sale, "plain" if sale is not None else "none", catalog.settings)
    if starts:
        item.update(
            date_pair("date_on_sale_from", datetime.fromisoformat(starts), catalog.settings)
        )
    if ends:
        item.update(date_pair("date_on_sale_to", datetime.fromisoformat(ends), catalog.settings))


def _apply_row_stock(item: JsonDict, row: dict[str, str]) -> None:
    item["stock_status"] = STOCK_FLAG_TO_STATUS.get(row["In stock?"], "instock")
    if row["Stock"]:
        item["manage_stock"] = True
        item["stock_quantity"] = int(float(row["Stock"]))


def _row_attributes(row: dict[str, str]) -> list[tuple[str, list[str], bool, bool]]:
    attributes = []
    number = 1
    while f"Attribute {number} name" in row:
        name = row[f"Attribute {number} name"]
        if name:
            attributes.append(
                (
                    name,
                    _split(row[f"Attribute {number} value(s)"]),
                    row.get(f"Attribute {number} visible", "1") == "1",
                    row.get(f"Attribute {number} global", "0") == "1",
                )
            )
        number += 1
    return attributes


def _category_ref(catalog: Catalog, path: str) -> JsonDict:
    parent_id = 0
    term: JsonDict = {}
    for name in (part.strip() for part in path.split(">")):
        term = catalog.ensure_category(name, parent=parent_id)
        parent_id = term["id"]
    return {"id": term["id"], "name": term["name"], "slug": term["slug"]}


def _resolve_reference(
    reference: str, by_sku: dict[str, JsonDict], by_id: dict[int, JsonDict]
) -> JsonDict | None:
    reference = reference.strip()
    if reference.startswith("id:"):
        return by_id.get(int(reference[3:]))
    return by_sku.get(reference)


def _base_type(row: dict[str, str]) -> str:
    return row["Type"].split(",")[0].strip()


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()] if value else []


def wpautop(text: str) -> str:
    """A small `wpautop()`: blank-line separated blocks become <p>, single newlines <br />."""
    text = text.replace("\\n", "\n").strip()
    if not text:
        return ""
    blocks = [b.strip() for b in text.replace("\r\n", "\n").split("\n\n") if b.strip()]
    return "".join(f"<p>{block.replace(chr(10), '<br />' + chr(10))}</p>\n" for block in blocks)
