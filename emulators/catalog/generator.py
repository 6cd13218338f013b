"""Seeded generator of realistic WooCommerce catalogues in the exact wc/v3 JSON shape.

`generate_catalog(300, seed=7)` always yields the same products: same ids, names, HTML,
prices, stock and reviews. Roughly: 65% simple, 20% variable (colour/size variations;
apparel, shoes and kitchen), 5% grouped, 6% external; ~10% not publicly visible (draft,
pending, private, hidden from the catalogue or password-protected) which a sync must skip;
~8% out of stock; ~15% with a sale price (some inside a date window, some scheduled for the
future).
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from decimal import Decimal

from emulators.catalog.categories import CATEGORIES
from emulators.catalog.descriptions import compose_copy, review_html, sentence_case
from emulators.catalog.model import Catalog, slugify
from emulators.catalog.odds import pick_by_odds
from emulators.catalog.pricing import (
    apply_prices,
    apply_stock,
    discounted,
    pick_sale_mode,
    realistic_price,
)
from emulators.catalog.shapes import (
    JsonDict,
    StoreSettings,
    image_shape,
    product_shape,
    range_html,
    refresh_rating,
    review_shape,
)
from emulators.catalog.variable import build_variations, pick_axes
from emulators.catalog.vocab import (
    LINES,
    REVIEWERS,
    CategoryVocab,
    NounSpec,
)

DEFAULT_SITE_URL = "https://shop.example.test"
EPOCH = datetime(2023, 1, 1)
LAST_EDIT = datetime(2024, 6, 30, 12, 0, 0)
NAME_SUFFIXES = ("Pro", "Lite", "II", "Plus", "Classic", "Mini", "Max", "Edition 2")


def generate_catalog(
    n_products: int = 300,
    *,
    seed: int = 7,
    site_url: str = DEFAULT_SITE_URL,
    settings: StoreSettings | None = None,
) -> Catalog:
    rng = random.Random(seed)
    catalog = Catalog(site_url=site_url.rstrip("/"), settings=settings or StoreSettings())
    for vocab in CATEGORIES:
        top = catalog.ensure_category(vocab.name)
        top["description"] = vocab.description
        for spec in vocab.nouns:
            if spec.subcategory is not None:
                catalog.ensure_category(spec.subcategory, parent=top["id"])

    used_names: set[str] = set()
    simples_by_category: dict[int, list[JsonDict]] = {}
    for index in range(n_products):
        vocab = (
            CATEGORIES[index % len(CATEGORIES)]
            if index < len(CATEGORIES)
            else rng.choice(CATEGORIES)
        )
        spec = rng.choice(vocab.nouns)
        product = _make_product(catalog, rng, vocab, spec, used_names, simples_by_category)
        catalog.products.append(product)
        if product["type"] == "simple" and product["status"] == "publish":
            simples_by_category.setdefault(product["categories"][0]["id"], []).append(product)
        _maybe_add_reviews(catalog, rng, vocab, spec, product)

    _link_related(catalog, rng)
    catalog.refresh_category_counts()
    return catalog


def _unique_name(rng: random.Random, noun: str, used: set[str]) -> str:
    name = f"{rng.choice(LINES)} {noun}"
    suffixes = iter(rng.sample(NAME_SUFFIXES, k=len(NAME_SUFFIXES)))
    candidate = name
    while candidate in used:
        suffix = next(suffixes, None)
        candidate = f"{name} {suffix}" if suffix else f"{name} No. {len(used)}"
    used.add(candidate)
    return candidate


def _make_product(
    catalog: Catalog,
    rng: random.Random,
    vocab: CategoryVocab,
    spec: NounSpec,
    used: set[str],
    simples_by_category: dict[int, list[JsonDict]],
) -> JsonDict:
    name = _unique_name(rng, spec.noun, used)
    slug = slugify(name)
    created = EPOCH + timedelta(seconds=rng.randrange(365 * 86400))
    modified = min(LAST_EDIT, created + timedelta(seconds=rng.randrange(200 * 86400)))
    product_id = catalog.allocate_post_id()
    top = catalog.ensure_category(vocab.name)
    product_type = _pick_type(rng, vocab)
    siblings = simples_by_category.get(top["id"], [])
    if product_type == "grouped" and len(siblings) < 2:
        product_type = "simple"
    product = product_shape(
        product_id=product_id,
        name=name,
        slug=slug,
        site_url=catalog.site_url,
        settings=catalog.settings,
        created_gmt=created,
        modified_gmt=modified,
        product_type=product_type,
        status=_pick_status(rng),
    )
    sku = f"{vocab.slug[:3].upper()}-{product_id:05d}"
    product["sku"] = sku
    copy = compose_copy(rng, vocab, spec, name, sku)
    product["description"] = copy.description_html
    product["short_description"] = copy.short_html
    _set_visibility(rng, product)
    _set_terms_and_image(catalog, rng, product, vocab, spec, top, created)
    product["weight"] = f"{rng.uniform(0.1, 4.0):.2f}"
    product["total_sales"] = rng.randint(0, 900)

    regular = realistic_price(rng, *vocab.price_range)
    sale_mode = pick_sale_mode(rng)
    material_attribute = {
        "id": 0,
        "name": "Material",
        "position": 0,
        "visible": True,
        "variation": False,
        "options": [sentence_case(copy.material)],
    }
    if product_type == "variable" and vocab.variants is not None:
        axes = pick_axes(rng, vocab.variants)
        build_variations(catalog, rng, product, axes, regular, sale_mode, modified)
        product["attributes"].append({**material_attribute, "position": len(axes)})
    elif product_type == "grouped":
        _make_grouped(catalog, rng, product, siblings)
    else:
        apply_prices(product, regular, discounted(regular, rng), sale_mode, catalog.settings)
        apply_stock(product, rng)
        product["attributes"] = [material_attribute]
        if product_type == "external":
            product["external_url"] = f"https://partner.example.com/p/{slug}"
            product["button_text"] = "Buy from our partner"
            product["purchasable"] = False
            product["manage_stock"], product["stock_quantity"], product["stock_status"] = (
                False,
                None,
                "instock",
            )
    return product


def _set_visibility(rng: random.Random, product: JsonDict) -> None:
    """Featured, hidden, password-protected or catalogue/search-only, as merchants set them."""
    product["featured"] = rng.random() < 0.08
    if product["status"] == "publish" and rng.random() < 0.025:
        product["catalog_visibility"] = "hidden"
    elif product["status"] == "publish" and rng.random() < 0.01:
        product["post_password"] = "letmein"
    elif rng.random() < 0.05:
        product["catalog_visibility"] = rng.choice(("catalog", "search"))


def _set_terms_and_image(
    catalog: Catalog,
    rng: random.Random,
    product: JsonDict,
    vocab: CategoryVocab,
    spec: NounSpec,
    top: JsonDict,
    created: datetime,
) -> None:
    product["categories"] = [_term_ref(top)]
    if spec.subcategory:
        product["categories"].append(
            _term_ref(catalog.ensure_category(spec.subcategory, top["id"]))
        )
    product["tags"] = [
        _term_ref(catalog.ensure_tag(t)) for t in rng.sample(vocab.tags, k=rng.randint(0, 2))
    ]
    slug = product["slug"]
    product["images"] = [
        image_shape(
            catalog.allocate_post_id(),
            f"{catalog.site_url}/wp-content/uploads/2024/05/{slug}.jpg",
            slug,
            created,
            catalog.settings,
        )
    ]


def _pick_type(rng: random.Random, vocab: CategoryVocab) -> str:
    variable = [(0.60, "variable")] if vocab.variants is not None else []
    return pick_by_odds(rng, [(0.06, "grouped"), (0.12, "external"), *variable], "simple")


def _pick_status(rng: random.Random) -> str:
    return pick_by_odds(rng, [(0.03, "draft"), (0.05, "pending"), (0.07, "private")], "publish")


def _make_grouped(
    catalog: Catalog, rng: random.Random, product: JsonDict, candidates: list[JsonDict]
) -> None:
    """A grouped product lists published simple siblings; it has no price or stock of its own."""
    children = rng.sample(candidates, k=min(len(candidates), rng.randint(2, 3)))
    product["grouped_products"] = [c["id"] for c in children]
    prices = [Decimal(c["price"]) for c in children if c["price"]]
    if prices:
        product["price"] = f"{min(prices):.2f}"
        product["price_html"] = range_html(min(prices), max(prices), catalog.settings)
    product["purchasable"] = False


def _maybe_add_reviews(
    catalog: Catalog, rng: random.Random, vocab: CategoryVocab, spec: NounSpec, product: JsonDict
) -> None:
    if product["status"] != "publish" or rng.random() > 0.45:
        return
    reviews: list[JsonDict] = []
    for _ in range(rng.randint(1, 5)):
        rating = rng.choices((5, 4, 3, 2, 1), weights=(45, 30, 12, 8, 5))[0]
        review = review_shape(
            review_id=catalog.allocate_review_id(),
            product=product,
            reviewer=rng.choice(REVIEWERS),
            rating=rating,
            text_html=review_html(rng, vocab, spec, rating),
            verified=rng.random() < 0.6,
            status="approved" if rng.random() < 0.9 else "hold",
            created_gmt=LAST_EDIT - timedelta(seconds=rng.randrange(150 * 86400)),
            site_url=catalog.site_url,
            settings=catalog.settings,
        )
        reviews.append(review)
    catalog.reviews.extend(reviews)
    refresh_rating(product, reviews)


def _link_related(catalog: Catalog, rng: random.Random) -> None:
    by_category: dict[int, list[int]] = {}
    for p in catalog.products:
        if p["status"] == "publish":
            by_category.setdefault(p["categories"][0]["id"], []).append(p["id"])
    for p in catalog.products:
        siblings = [i for i in by_category.get(p["categories"][0]["id"], []) if i != p["id"]]
        p["related_ids"] = rng.sample(siblings, k=min(len(siblings), 4))


def _term_ref(term: JsonDict) -> JsonDict:
    return {"id": term["id"], "name": term["name"], "slug": term["slug"]}
