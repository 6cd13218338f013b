"""Async client for one store's WooCommerce REST API (wc/v3).

    async with WooClient(url, key, secret) as client:
        info = await client.test_connection()
        async for page in client.iter_catalog(modified_after=last_sync):
            ...  # page.products: ProductRecords with variations joined; page.reviews by product id

Every request passes the outbound guard (`core.outbound`, see `session.py`).

Paging asks for `per_page=100` (the API's maximum) sorted by id ascending and follows
`X-WP-TotalPages`. Listing `status=any` is deliberate: drafts and private products come back
too, so a sync can remove products that were unpublished (`mapping.is_indexable` decides).
A caller that drives paging itself (the sync, whose checkpoints are page numbers) reads one
page at a time with `product_page` and looks stragglers up with `products_by_id`.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Unpack

from ingestion.woocommerce import errors
from ingestion.woocommerce.listing import (
    MAX_PER_PAGE,
    CatalogPage,
    JsonDict,
    ProductPage,
    as_list,
    product_listing_params,
    walk_pages,
)
from ingestion.woocommerce.mapping import (
    ProductRecord,
    ReviewRecord,
    is_indexable,
    map_product,
    map_review,
)
from ingestion.woocommerce.orders import WooOrders
from ingestion.woocommerce.session import StoreSession, StoreSessionOptions

PRODUCT_WEBHOOK_TOPICS = (
    "product.created",
    "product.updated",
    "product.deleted",
    "product.restored",
)
WEBHOOK_STATUSES = frozenset({"active", "paused", "disabled"})  # WooCommerce's own
MAX_WEBHOOK_PAGES = 10  # of 100: far more webhooks than any store has


@dataclass(frozen=True)
class StoreInfo:
    home_url: str
    woocommerce_version: str | None
    wordpress_version: str | None
    currency: str
    product_count: int  # published products
    auth_mode: str  # the key presentation that worked: basic | query_string | oauth1


@dataclass(frozen=True)
class WebhookRegistration:
    id: int
    topic: str
    delivery_url: str
    status: str
    created: bool  # False when an existing webhook for this URL and topic was reused


class WooClient:
    def __init__(
        self,
        store_url: str,
        consumer_key: str,
        consumer_secret: str,
        *,
        max_concurrency: int = 4,
        currency: str | None = None,
        **session_options: Unpack[StoreSessionOptions],
    ) -> None:
        self._session = StoreSession(
            store_url,
            consumer_key,
            consumer_secret,
            max_connections=max_concurrency,
            **session_options,
        )
        self._concurrency = asyncio.Semaphore(max_concurrency)
        self._currency = currency

    @property
    def store_url(self) -> str:
        return self._session.base_url

    @property
    def auth_mode(self) -> str:
        return self._session.auth_mode

    @property
    def orders(self) -> WooOrders:
        return WooOrders(self._session)

    async def __aenter__(self) -> WooClient:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._session.aclose()

    # --- store -----------------------------------------------------------------------
    async def test_connection(self) -> StoreInfo:
        """Check URL, plugin, permalinks and keys in one go; raises a typed error otherwise."""
        status = await self._session.get("/wc/v3/system_status")
        body = _object(status.data)
        environment = _object(body.get("environment"))
        settings = _object(body.get("settings"))
        if self._currency is None and settings.get("currency"):
            self._currency = str(settings["currency"])
        count = await self._session.get(
            "/wc/v3/products", {"per_page": 1, "status": "publish", "_fields": "id"}
        )
        return StoreInfo(
            home_url=_text(environment.get("home_url")) or self.store_url,
            woocommerce_version=_text(environment.get("version")),
            wordpress_version=_text(environment.get("wp_version")),
            currency=await self.store_currency(),
            product_count=count.header_int("X-WP-Total") or 0,
            auth_mode=self._session.auth_mode,
        )

    async def store_currency(self) -> str:
        if self._currency is None:
            status = await self._session.get("/wc/v3/system_status")
            settings = _object(_object(status.data).get("settings"))
            if not settings.get("currency"):
                raise errors.StoreResponseMalformed(
                    "The store did not report its currency.", store_url=self.store_url
                )
            self._currency = str(settings["currency"])
        return self._currency

    # --- products --------------------------------------------------------------------
    async def iter_product_pages(
        self,
        *,
        modified_after: datetime | None = None,
        status: str = "any",
        per_page: int = MAX_PER_PAGE,
    ) -> AsyncIterator[ProductPage]:
        """Raw product pages; each product is yielded once even if the listing shifts.

        Offset paging skips items when products are deleted or unpublished mid-walk (the
        rest move up a page). When the listing changed during the walk, it is walked once
        more and only products not yet seen are yielded (`rewalk=True`).
        """
        params = product_listing_params(status, modified_after)
        seen: set[int] = set()
        for walk in range(2):
            totals: set[int] = set()
            yielded_in_walk = 0
            listing = walk_pages(self._session, "/wc/v3/products", params, per_page)
            async for number, total_pages, total, items in listing:
                totals.add(total)
                yielded_in_walk += len(items)
                fresh = tuple(p for p in items if int(p["id"]) not in seen)
                seen.update(int(p["id"]) for p in fresh)
                yield ProductPage(number, total_pages, total, fresh, rewalk=walk > 0)
            if len(totals) <= 1 and yielded_in_walk == next(iter(totals), 0):
                return

    async def iter_catalog(
        self, *, modified_after: datetime | None = None, include_reviews: bool = True
    ) -> AsyncIterator[CatalogPage]:
        """Mapped pages: variations joined to their (visible) parents, approved reviews attached."""
        currency = await self.store_currency()
        async for page in self.iter_product_pages(modified_after=modified_after):
            records = await asyncio.gather(
                *(self._with_variations(raw, currency) for raw in page.products)
            )
            reviewed = [r.external_id for r in records if is_indexable(r) and r.rating_count > 0]
            reviews = (
                await self.reviews_by_product(reviewed) if include_reviews and reviewed else {}
            )
            yield CatalogPage(
                page.number,
                page.total_pages,
                page.total_products,
                tuple(records),
                reviews,
                page.rewalk,
            )

    async def product_page(
        self,
        number: int,
        *,
        status: str = "any",
        modified_after: datetime | None = None,
        per_page: int = MAX_PER_PAGE,
    ) -> ProductPage:
        """Page `number` of the product listing, exactly as the store serves it now.

        Nothing is de-duplicated or re-walked here: a caller paging by itself must handle a
        listing that shifts between its requests (see `ingestion.sync.walks`).
        """
        params = product_listing_params(status, modified_after)
        response = await self._session.get(
            "/wc/v3/products", {**params, "page": number, "per_page": min(per_page, MAX_PER_PAGE)}
        )
        return ProductPage(
            number=number,
            total_pages=response.header_int("X-WP-TotalPages"),
            total_products=response.header_int("X-WP-Total"),
            products=tuple(as_list(response, self.store_url)),
        )

    async def products_by_id(self, product_ids: Iterable[int]) -> list[JsonDict]:
        """Those of `product_ids` that exist now in any status but trash; the others omitted.

        One request per 100 ids (`include`), so re-checking a batch of stragglers costs a
        request, not one per product.
        """
        unique = sorted({int(i) for i in product_ids})
        found: list[JsonDict] = []
        for start in range(0, len(unique), MAX_PER_PAGE):
            batch = unique[start : start + MAX_PER_PAGE]
            response = await self._session.get(
                "/wc/v3/products",
                {
                    **product_listing_params("any", None),
                    "include": ",".join(map(str, batch)),
                    "per_page": MAX_PER_PAGE,
                },
            )
            found.extend(as_list(response, self.store_url))
        return found

    async def get_product(self, product_id: int) -> JsonDict | None:
        """One product as the API returns it (a trashed one has status "trash"); None if deleted."""
        try:
            response = await self._session.get(f"/wc/v3/products/{int(product_id)}")
        except errors.StoreResourceNotFound:
            return None
        return response.data if isinstance(response.data, dict) else None

    async def fetch_product_record(self, product_id: int) -> ProductRecord | None:
        """A single product with its variations, e.g. after a webhook said it changed."""
        raw = await self.get_product(product_id)
        if raw is None:
            return None
        return await self._with_variations(raw, await self.store_currency())

    async def list_variations(self, product_id: int) -> list[JsonDict]:
        variations: list[JsonDict] = []
        try:
            route = f"/wc/v3/products/{int(product_id)}/variations"
            async for _, _, _, items in walk_pages(self._session, route, {}):
                variations.extend(items)
        except errors.StoreResourceNotFound:
            return []  # the parent was deleted between listing it and asking for its variations
        return variations

    async def list_categories(self) -> list[JsonDict]:
        categories: list[JsonDict] = []
        async for _, _, _, items in walk_pages(self._session, "/wc/v3/products/categories", {}):
            categories.extend(items)
        return categories

    async def list_reviews(self, product_ids: Sequence[int] | None = None) -> list[JsonDict]:
        """Approved reviews, for the given products (batched 100 ids a request) or the whole
        store."""
        batches: Iterable[Sequence[int] | None] = (
            [product_ids[i : i + MAX_PER_PAGE] for i in range(0, len(product_ids), MAX_PER_PAGE)]
            if product_ids is not None
            else [None]
        )
        reviews: list[JsonDict] = []
        for batch in batches:
            params: dict[str, str | int] = {"status": "approved"}
            if batch is not None:
                params["product"] = ",".join(str(int(i)) for i in batch)
            async for _, _, _, items in walk_pages(
                self._session, "/wc/v3/products/reviews", params
            ):
                reviews.extend(items)
        return reviews

    async def reviews_by_product(
        self, product_ids: Sequence[int]
    ) -> dict[int, tuple[ReviewRecord, ...]]:
        grouped: dict[int, list[ReviewRecord]] = {}
        for raw in await self.list_reviews(product_ids):
            review = map_review(raw)
            grouped.setdefault(review.product_external_id, []).append(review)
        return {
            pid: tuple(sorted(items, key=lambda r: r.external_id)) for pid, items in grouped.items()
        }

    # --- webhooks --------------------------------------------------------------------
    async def list_webhooks(self) -> list[JsonDict]:
        """The store's webhooks, up to `MAX_WEBHOOK_PAGES` pages: a server that keeps
        claiming more pages does not keep a registration going forever."""
        hooks: list[JsonDict] = []
        async for page, _, _, items in walk_pages(
            self._session, "/wc/v3/webhooks", {"status": "all"}
        ):
            hooks.extend(items)
            if page >= MAX_WEBHOOK_PAGES:
                break
        return hooks

    async def register_webhooks(
        self,
        delivery_url: str,
        secret: str,
        *,
        topics: Sequence[str] = PRODUCT_WEBHOOK_TOPICS,
        name_prefix: str = "Shopbot",
    ) -> list[WebhookRegistration]:
        """Ensure one active webhook per topic pointing at `delivery_url`, signed with `secret`.

        Idempotent: a webhook that already targets this URL and topic is updated in place
        (secret re-set, re-activated if WooCommerce disabled it after failed deliveries)
        instead of adding a duplicate that would double every delivery.
        """
        # Only hooks of the shape WooCommerce gives are reused: whatever else a server at the
        # store URL answers must not turn into a 500 (or into text we repeat).
        existing = {
            (h["delivery_url"], h["topic"]): hook_id
            for h in await self.list_webhooks()
            if isinstance(h.get("delivery_url"), str)
            and isinstance(h.get("topic"), str)
            and (hook_id := _webhook_id(h.get("id"))) is not None
        }
        registrations: list[WebhookRegistration] = []
        for topic in topics:
            hook_id = existing.get((delivery_url, topic))
            body = {"secret": secret, "status": "active"}
            if hook_id is None:
                body.update(name=f"{name_prefix} {topic}", topic=topic, delivery_url=delivery_url)
                response = await self._session.post("/wc/v3/webhooks", body)
            else:
                response = await self._session.request(
                    "PUT", f"/wc/v3/webhooks/{hook_id}", json_body=body
                )
            saved = response.data if isinstance(response.data, dict) else {}
            status = saved.get("status", "active")
            registrations.append(
                WebhookRegistration(
                    id=_webhook_id(saved.get("id")) or hook_id or 0,
                    topic=topic,
                    delivery_url=delivery_url,
                    status=status
                    if isinstance(status, str) and status in WEBHOOK_STATUSES
                    else "unknown",
                    created=hook_id is None,
                )
            )
        return registrations

    # --- internals -------------------------------------------------------------------
    async def _with_variations(self, raw: JsonDict, currency: str) -> ProductRecord:
        parent = map_product(raw, currency=currency)
        if parent.type != "variable" or not is_indexable(parent):
            return parent  # hidden parents are not indexed, so their variations are not fetched
        async with self._concurrency:
            variations = await self.list_variations(parent.external_id)
        return map_product(raw, currency=currency, variations=variations)


def _object(value: object) -> JsonDict:
    """A JSON object of the store's answer, or an empty one when it sent something else."""
    return value if isinstance(value, dict) else {}


def _text(value: object, limit: int = 200) -> str | None:
    """A short string field of the store's answer (a version, a URL), or None."""
    return value[:limit] if isinstance(value, str) and value else None


def _webhook_id(value: object) -> int | None:
    """A webhook id as WooCommerce sends it (a positive integer, or its digits), else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if 0 < value < 2**63 else None
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 18:
        return int(value) or None
    return None
