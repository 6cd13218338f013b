"""`CatalogSource` over a WooCommerce store: one page of products ordered by id, with
variations and approved reviews joined, rendered into `ProductDocument`s.

The sync drives paging itself (page numbers are its checkpoints), so pages are read one
at a time through a `StoreSession`; the `WooClient` supplies variations, reviews and
look-ups by id. Both share the store's credentials and typed errors/retries.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from ingestion.indexing.documents import ProductDocument
from ingestion.sync.source import CatalogPage, PageQuery
from ingestion.woocommerce.client import MAX_PER_PAGE, WooClient, to_wc_gmt
from ingestion.woocommerce.errors import StoreResponseMalformed
from ingestion.woocommerce.mapping import ProductRecord, ReviewRecord, is_indexable, map_product
from ingestion.woocommerce.session import StoreSession

log = logging.getLogger(__name__)


class WooCatalogSource:
    def __init__(
        self,
        store_url: str,
        consumer_key: str,
        consumer_secret: str,
        *,
        currency: str | None = None,
        max_concurrency: int = 4,
        include_reviews: bool = True,
        **client_options: Any,
    ) -> None:
        self.client = WooClient(
            store_url, consumer_key, consumer_secret, currency=currency,
            max_concurrency=max_concurrency, **client_options,
        )
        self._pages = StoreSession(store_url, consumer_key, consumer_secret, **_session_options(client_options))
        self._fan_out = asyncio.Semaphore(max_concurrency)
        self._include_reviews = include_reviews

    async def aclose(self) -> None:
        await self.client.aclose()
        await self._pages.aclose()

    async def __aenter__(self) -> WooCatalogSource:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def page(self, number: int, query: PageQuery) -> CatalogPage:
        params: dict[str, str | int] = {
            "status": query.status, "orderby": "id", "order": "asc",
            "page": number, "per_page": min(query.per_page, MAX_PER_PAGE),
        }
        if query.modified_after is not None:
            params["modified_after"] = to_wc_gmt(query.modified_after)
            params["dates_are_gmt"] = "true"
        response = await self._pages.get("/wc/v3/products", params)
        items = _as_list(response.data, self._pages.base_url)
        documents, errors, error_ids = await self._documents(items, query.known_modified)
        return CatalogPage(
            number=number,
            documents=documents,
            raw_ids=[int(item["id"]) for item in items if _has_id(item)],
            total=response.header_int("X-WP-Total"),
            total_pages=response.header_int("X-WP-TotalPages"),
            errors=errors,
            error_ids=error_ids,
        )

    async def products(self, ids: Sequence[int]) -> list[ProductDocument]:
        found: list[dict[str, Any]] = []
        unique = sorted(set(int(i) for i in ids))
        for start in range(0, len(unique), MAX_PER_PAGE):
            batch = unique[start : start + MAX_PER_PAGE]
            response = await self._pages.get(
                "/wc/v3/products",
                {"include": ",".join(map(str, batch)), "status": "any", "per_page": MAX_PER_PAGE,
                 "orderby": "id", "order": "asc"},
            )
            found.extend(_as_list(response.data, self._pages.base_url))
        documents, _, _ = await self._documents(found)
        return documents

    async def product(self, product_id: int) -> ProductDocument | None:
        documents = await self.products([product_id])
        return next((d for d in documents if d.row.external_id == str(product_id)), None)

    # --- internals ----------------------------------------------------------------------
    async def _documents(
        self, items: list[dict[str, Any]], known_modified: Mapping[int, datetime] | None = None
    ) -> tuple[list[ProductDocument], int, list[int]]:
        currency = await self.client.store_currency()
        shortcut: list[ProductDocument] = []
        if known_modified:
            full: list[dict[str, Any]] = []
            for item in items:
                document = _facts_only(item, currency, known_modified)
                if document is None:
                    full.append(item)
                else:
                    shortcut.append(document)
            items = full
        records = await asyncio.gather(*(self._record(item, currency) for item in items))
        readable = [r for r in records if r is not None]
        reviewed = [r.external_id for r in readable if self._include_reviews and is_indexable(r) and r.rating_count > 0]
        reviews: dict[int, tuple[ReviewRecord, ...]] = (
            await self.client.reviews_by_product(reviewed) if reviewed else {}
        )
        documents: list[ProductDocument] = []
        errors: list[int] = []
        for item, record in zip(items, records, strict=True):
            if record is None:
                errors.append(int(item["id"]) if _has_id(item) else -1)
                continue
            try:
                documents.append(ProductDocument.from_record(record, reviews.get(record.external_id, ())))
            except Exception:  # noqa: BLE001 - one odd product must not stop a catalogue
                log.warning("could not render product %s", record.external_id, exc_info=True)
                errors.append(record.external_id)
        return shortcut + documents, len(errors), errors

    async def _record(self, item: dict[str, Any], currency: str) -> ProductRecord | None:
        try:
            parent = map_product(item, currency=currency)
        except (KeyError, TypeError, ValueError, ArithmeticError):
            log.warning("could not read product %r from the store", item.get("id"), exc_info=True)
            return None
        if parent.type != "variable" or not is_indexable(parent):
            return parent
        async with self._fan_out:
            variations = await self.client.list_variations(parent.external_id)
        try:
            return map_product(item, currency=currency, variations=variations)
        except (KeyError, TypeError, ValueError, ArithmeticError):
            log.warning("could not read the variations of product %s", parent.external_id, exc_info=True)
            return None


def _facts_only(
    item: dict[str, Any], currency: str, known_modified: Mapping[int, datetime]
) -> ProductDocument | None:
    try:
        record = map_product(item, currency=currency)
    except (KeyError, TypeError, ValueError, ArithmeticError):
        return None
    stored = known_modified.get(record.external_id)
    if stored is None or stored != record.date_modified_gmt or not is_indexable(record):
        return None
    return ProductDocument.facts_from_record(record)


def _has_id(item: Any) -> bool:
    return isinstance(item, dict) and str(item.get("id", "")).isdigit()


def _as_list(data: Any, store_url: str) -> list[dict[str, Any]]:
    if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
        raise StoreResponseMalformed(
            "The store answered a list request with something that is not a list.", store_url=store_url
        )
    return data


def _session_options(client_options: dict[str, Any]) -> dict[str, Any]:
    allowed = ("auth", "timeout_s", "retry", "verify", "allow_plaintext_credentials", "transport")
    return {k: v for k, v in client_options.items() if k in allowed}
