"""The fake store's data and the merchant-side actions tests perform on it.

Every mutation bumps `date_modified(_gmt)` the way WooCommerce's data store does on save
(a variation save also re-syncs and saves its parent), so `modified_after` sees it.
Deleting to the trash is invisible to `modified_after` listings, exactly as on a real
store: the product simply stops appearing under `status=any`.

Change the catalogue only through the methods marked `@changes_catalogue`: product
listings are memoised (see `listing_cache.py`) and those methods are what invalidates them.
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, TypedDict

from emulators.catalog import Catalog, JsonDict, generate_catalog, slugify
from emulators.catalog.pricing import apply_prices
from emulators.catalog.shapes import date_pair, product_shape, refresh_rating, review_shape
from emulators.catalog.variable import summarise_parent
from emulators.woocommerce.auth import ApiKey
from emulators.woocommerce.faults import FaultPlan
from emulators.woocommerce.listing_cache import ListingCache, changes_catalogue
from emulators.woocommerce.order_book import seeded_orders

DEFAULT_CONSUMER_KEY = "ck_4f1c2e9a7b3d5f60a8c1e2d3b4a5968778695a4b"
DEFAULT_CONSUMER_SECRET = "cs_9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a291807"
PRICE_FIELDS = ("regular_price", "sale_price")


def utc_now_seconds() -> datetime:
    """WordPress stores post dates with one-second resolution, in naive GMT."""
    return datetime.now(UTC).replace(tzinfo=None, microsecond=0)


@dataclass(frozen=True)
class RecordedRequest:
    method: str
    route: str
    query: dict[str, str]
    scheme: str
    auth_via: str  # "basic_header" | "query_string" | "oauth1" | "" — how the key was presented
    status: int


class StoreAccess(TypedDict, total=False):
    """The key a new store is opened with, and the seed of its catalogue and faults; the
    defaults are `StoreState`'s."""

    consumer_key: str
    consumer_secret: str
    permissions: str
    seed: int


class StoreState:
    def __init__(
        self,
        catalog: Catalog | None = None,
        *,
        consumer_key: str = DEFAULT_CONSUMER_KEY,
        consumer_secret: str = DEFAULT_CONSUMER_SECRET,
        permissions: str = "read_write",
        seed: int = 0,
        clock: Callable[[], datetime] = utc_now_seconds,
    ) -> None:
        self.catalog = catalog if catalog is not None else generate_catalog(50, seed=seed)
        self.consumer_key: str = consumer_key
        self.consumer_secret: str = consumer_secret
        self.keys: dict[str, ApiKey] = {
            consumer_key: ApiKey(consumer_key, consumer_secret, permissions)
        }
        self.faults = FaultPlan(seed)
        self.clock = clock
        self.webhooks: list[JsonDict] = []
        self.webhook_secrets: dict[int, str] = {}
        self.requests: list[RecordedRequest] = []
        self.lock = threading.RLock()
        self.listings = ListingCache()
        self.seed = seed
        self._orders: tuple[list[JsonDict], dict[int, list[JsonDict]]] | None = None

    # --- credentials -----------------------------------------------------------------
    def add_api_key(
        self, consumer_key: str, consumer_secret: str, permissions: str = "read"
    ) -> None:
        with self.lock:
            self.keys[consumer_key] = ApiKey(consumer_key, consumer_secret, permissions)

    # --- reading (deep copies, so tests cannot mutate the store by accident) ----------
    def product(self, product_id: int) -> JsonDict:
        with self.lock:
            return copy.deepcopy(self._product(product_id))

    def variations(self, product_id: int) -> list[JsonDict]:
        with self.lock:
            return copy.deepcopy(self.catalog.variations.get(product_id, []))

    def publicly_visible_ids(self) -> set[int]:
        """Ground truth for sync tests: what a shopper can see on the storefront."""
        with self.lock:
            return {
                p["id"]
                for p in self.catalog.products
                if p["status"] == "publish"
                and p["catalog_visibility"] != "hidden"
                and not p["post_password"]
            }

    def latest_modified_gmt(self) -> datetime:
        with self.lock:
            return max(
                datetime.fromisoformat(p["date_modified_gmt"]) for p in self.catalog.products
            )

    def order_book(self) -> tuple[list[JsonDict], dict[int, list[JsonDict]]]:
        """The orders and their notes by order id, seeded from the catalogue on first use
        (call with `lock` held)."""
        if self._orders is None:
            self._orders = seeded_orders(self.catalog, self.seed)
        return self._orders

    def orders(self) -> list[JsonDict]:
        """The seeded orders (copies): what a test asks about."""
        with self.lock:
            return copy.deepcopy(self.order_book()[0])

    def order_notes(self, order_id: int) -> list[JsonDict]:
        with self.lock:
            return copy.deepcopy(self.order_book()[1].get(order_id, []))

    # --- merchant actions ------------------------------------------------------------
    @changes_catalogue
    def add_product(
        self,
        name: str,
        regular_price: str | Decimal,
        *,
        category: str = "Apparel",
        description_html: str = "",
        short_description_html: str = "",
        status: str = "publish",
        sku: str = "",
        sale_price: str | Decimal | None = None,
        stock_status: str = "instock",
    ) -> JsonDict:
        with self.lock:
            now = self.clock()
            product = product_shape(
                product_id=self.catalog.allocate_post_id(),
                name=name,
                slug=slugify(name),
                site_url=self.catalog.site_url,
                settings=self.catalog.settings,
                created_gmt=now,
                modified_gmt=now,
                status=status,
            )
            term = self.catalog.ensure_category(category)
            product.update(
                sku=sku,
                description=description_html,
                short_description=short_description_html,
                categories=[{"id": term["id"], "name": term["name"], "slug": term["slug"]}],
                stock_status=stock_status,
            )
            sale = Decimal(sale_price) if sale_price not in (None, "") else None
            apply_prices(
                product,
                Decimal(regular_price),
                sale,
                "plain" if sale else "none",
                self.catalog.settings,
            )
            self.catalog.products.append(product)
            self.catalog.refresh_category_counts()
            return copy.deepcopy(product)

    @changes_catalogue
    def update_product(self, product_id: int, **fields: Any) -> JsonDict:
        """Overwrite wc/v3 fields as a PUT would; prices given as strings re-derive `price`."""
        with self.lock:
            product = self._product(product_id)
            prices = {k: fields.pop(k) for k in PRICE_FIELDS if k in fields}
            product.update(fields)
            if prices:
                self._reprice(product, prices)
            self._bump(product)
            self.catalog.refresh_category_counts()
            return copy.deepcopy(product)

    def set_price(
        self, product_id: int, regular_price: str | Decimal, sale_price: str | Decimal | None = None
    ) -> JsonDict:
        return self.update_product(
            product_id,
            regular_price=str(regular_price),
            sale_price="" if sale_price is None else str(sale_price),
        )

    def set_stock(
        self, product_id: int, stock_status: str, quantity: int | None = None
    ) -> JsonDict:
        return self.update_product(
            product_id,
            stock_status=stock_status,
            stock_quantity=quantity,
            manage_stock=quantity is not None,
        )

    @changes_catalogue
    def set_stock_by_order(self, product_id: int, stock_status: str, quantity: int) -> JsonDict:
        """Stock as an order leaves it: `wc_update_product_stock()` writes the stock meta with
        direct SQL and saves nothing, so `date_modified` does not move."""
        with self.lock:
            product = self._product(product_id)
            product.update(stock_status=stock_status, stock_quantity=quantity, manage_stock=True)
            return copy.deepcopy(product)

    @changes_catalogue
    def update_variation(self, product_id: int, variation_id: int, **fields: Any) -> JsonDict:
        with self.lock:
            parent = self._product(product_id)
            variations = self.catalog.variations.get(product_id, [])
            variation = next((v for v in variations if v["id"] == variation_id), None)
            if variation is None:
                raise KeyError(f"product {product_id} has no variation {variation_id}")
            prices = {k: fields.pop(k) for k in PRICE_FIELDS if k in fields}
            variation.update(fields)
            if prices:
                self._reprice(variation, prices)
            self._bump(variation)
            summarise_parent(parent, variations, self.catalog)
            self._bump(parent)  # WC_Product_Variable::sync() saves the parent too
            return copy.deepcopy(variation)

    @changes_catalogue
    def trash_product(self, product_id: int) -> JsonDict:
        with self.lock:
            product = self._product(product_id)
            product["meta_data"].append(
                {"id": 0, "key": "_wp_trash_meta_status", "value": product["status"]}
            )
            product["status"] = "trash"
            self._bump(product)
            self.catalog.refresh_category_counts()
            return copy.deepcopy(product)

    @changes_catalogue
    def restore_product(self, product_id: int) -> JsonDict:
        """Untrash. Since WordPress 5.6 an untrashed post comes back as a draft."""
        with self.lock:
            product = self._product(product_id)
            product["meta_data"] = [
                m for m in product["meta_data"] if m["key"] != "_wp_trash_meta_status"
            ]
            product["status"] = "draft"
            self._bump(product)
            return copy.deepcopy(product)

    @changes_catalogue
    def delete_product(self, product_id: int) -> None:
        """Permanent delete (`force=true`): the product and its variations are gone."""
        with self.lock:
            self.catalog.products.remove(self._product(product_id))
            self.catalog.variations.pop(product_id, None)
            self.catalog.reviews = [
                r for r in self.catalog.reviews if r["product_id"] != product_id
            ]
            self.catalog.refresh_category_counts()

    @changes_catalogue
    def add_review(
        self,
        product_id: int,
        rating: int,
        text: str,
        *,
        reviewer: str = "Anna",
        status: str = "approved",
    ) -> JsonDict:
        with self.lock:
            product = self._product(product_id)
            review = review_shape(
                review_id=self.catalog.allocate_review_id(),
                product=product,
                reviewer=reviewer,
                rating=rating,
                text_html=f"<p>{text}</p>\n",
                verified=True,
                status=status,
                created_gmt=self.clock(),
                site_url=self.catalog.site_url,
                settings=self.catalog.settings,
            )
            self.catalog.reviews.append(review)
            refresh_rating(
                product, [r for r in self.catalog.reviews if r["product_id"] == product_id]
            )
            self._bump(product)
            return copy.deepcopy(review)

    # --- internals -------------------------------------------------------------------
    def _product(self, product_id: int) -> JsonDict:
        product = self.catalog.product(product_id)
        if product is None:
            raise KeyError(f"no product {product_id}")
        return product

    def _bump(self, item: JsonDict) -> None:
        item.update(date_pair("date_modified", self.clock(), self.catalog.settings))

    def _reprice(self, item: JsonDict, prices: dict[str, Any]) -> None:
        regular_raw = prices.get("regular_price", item["regular_price"])
        sale_raw = prices.get("sale_price", item["sale_price"])
        regular = Decimal(str(regular_raw)) if regular_raw not in (None, "") else None
        sale = Decimal(str(sale_raw)) if sale_raw not in (None, "") else None
        if regular is None:
            item["regular_price"], item["sale_price"], item["price"], item["on_sale"] = (
                "",
                "",
                "",
                False,
            )
            return
        item.update(date_pair("date_on_sale_from", None, self.catalog.settings))
        item.update(date_pair("date_on_sale_to", None, self.catalog.settings))
        apply_prices(
            item, regular, sale, "plain" if sale is not None else "none", self.catalog.settings
        )
