"""`CatalogSource` over a WooCommerce store: one page of products ordered by id, with
variations and approved reviews joined, rendered into `ProductDocument`s.

The sync drives paging itself (page numbers are its checkpoints), so it reads one page at
a time (`WooClient.product_page`); the same client supplies variations, reviews and
look-ups by id, over one connection pool with one set of retries and typed errors.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, Unpack

from ingestion.indexing.documents import ProductDocument
from ingestion.sync.source import CatalogPage, PageQuery
from ingestion.woocommerce.client import WooClient
from ingestion.woocommerce.mapping import ProductRecord, ReviewRecord, is_indexable, map_product
from ingestion.woocommerce.session import StoreSessionOptions

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
        **client_options: Unpack[StoreSessionOptions],
    ) -> None:
        self.client = WooClient(
            store_url,
            consumer_key,
            consumer_secret,
            currency=currency,
            max_concurrency=max_concurrency,
            **client_options,
        )
        self._fan_out = asyncio.Semaphore(max_concurrency)
        self._include_reviews = include_reviews

    async def aclose(self) -> None:
        await self.client.aclose()

    async def __aenter__(self) -> WooCatalogSource:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def page(self, number: int, query: PageQuery) -> CatalogPage:
        listed = await self.client.product_page(
            number,
            status=query.status,
            modified_after=query.modified_after,
            per_page=query.per_page,
        )
        documents, errors, error_ids = await self._documents(
            list(listed.products), query.known_modified
        )
        return CatalogPage(
            number=number,
            documents=documents,
            raw_ids=[int(item["id"]) for item in listed.products if _has_id(item)],
            total=listed.total_products,
            total_pages=listed.total_pages,
            errors=errors,
            error_ids=error_ids,
        )

    async def products(self, ids: Sequence[int]) -> list[ProductDocument]:
        documents, _, _ = await self._documents(await self.client.products_by_id(ids))
        return documents

    async def trashed_since(self, modified_after: datetime) -> list[int]:
        # Trashing saves the post, so its modification date moves and `modified_after` sees it.
        pages = self.client.iter_product_pages(status="trash", modified_after=modified_after)
        return [int(item["id"]) async for page in pages for item in page.products if _has_id(item)]

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
        reviewed = [
            r.external_id
            for r in readable
            if self._include_reviews and is_indexable(r) and r.rating_count > 0
        ]
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
                documents.append(
                    ProductDocument.from_record(record, reviews.get(record.external_id, ()))
                )
            except Exception:
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
            log.warning(
                "could not read the variations of product %s", parent.external_id, exc_info=True
            )
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
