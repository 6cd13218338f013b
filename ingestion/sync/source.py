"""What a sync reads from a store, as the runner needs it.

`CatalogSource` is the seam between the sync runner and the WooCommerce client: pages of
products with their variations already attached, plus look-ups by id. The WooCommerce
implementation lives in `ingestion.sync.woo_source`; tests may pass any other.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from ingestion.indexing.documents import ProductDocument


@dataclass
class CatalogPage:
    number: int
    # Every product on the page, indexable or not, already rendered into documents; the
    # runner indexes those with `indexable` and removes the others.
    documents: list[ProductDocument]
    raw_ids: list[int]  # ids of everything the store returned on this page, in order
    total: int | None = None
    total_pages: int | None = None
    errors: int = 0  # products on the page that could not be read (logged, counted)
    error_ids: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class PageQuery:
    status: str  # "publish" (full, reconcile) or "any" (incremental)
    per_page: int
    modified_after: datetime | None = None  # aware UTC; sent with dates_are_gmt=true
    # Reconcile: stored products' modification times. A listed product whose time matches
    # becomes a facts-only document (no variations, reviews or rendering fetched/done).
    known_modified: Mapping[int, datetime] | None = field(default=None, compare=False)


class CatalogSource(Protocol):
    async def page(self, number: int, query: PageQuery) -> CatalogPage: ...

    async def products(self, ids: Sequence[int]) -> list[ProductDocument]:
        """Those of `ids` that exist now (any status), with variations; missing ones omitted."""
        ...

    async def product(self, product_id: int) -> ProductDocument | None:
        """The product as it is now (any status), or None when the store no longer has it."""
        ...

    async def trashed_since(self, modified_after: datetime) -> list[int]:
        """Ids of products moved to the trash after `modified_after` (aware UTC)."""
        ...

    async def aclose(self) -> None: ...
