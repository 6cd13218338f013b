"""How a sync walks a store's product listing page by page without losing products.

WooCommerce pages by offset. When a product on a page already read disappears (trashed,
unpublished, deleted) before the next request, everything after it moves one place
forward and one product slips onto the page already read: a plain walk never sees it.
Each walk makes up for that its own way:

- `RangeWalk` (full, reconcile: the whole published catalogue, by id). Each page also
  settles the id range it covers: products of our index in that range that the page did
  not list are asked for by id; one that slipped is found and indexed, one that is gone
  is deleted.
- `IncrementalWalk` (products modified since the cursor). Our index cannot say what that
  listing should hold, so when it visibly changed during the walk (X-WP-Total moved, or
  fewer products were listed than it reports) it is walked again from the start, at most
  `MAX_WALKS` times. A re-walk costs little: products this run already wrote carry the
  store's modification date, so they come back as facts-only documents (no variations,
  reviews or rendering), and only the skipped ones are read in full. The last page then
  also lists the products trashed since the cursor (`status=trash` is the one listing
  where trashing shows), so they leave the index too.
"""

from __future__ import annotations

import logging
from bisect import bisect_right
from collections.abc import AsyncGenerator, Awaitable, Callable, Iterable, Mapping
from dataclasses import KW_ONLY, dataclass, field, replace
from datetime import datetime
from typing import Any

from ingestion.indexing.documents import ProductDocument
from ingestion.sync.source import CatalogPage, CatalogSource, PageQuery

log = logging.getLogger(__name__)

MAX_WALKS = 3


@dataclass
class FetchedPage:
    page: CatalogPage
    deletions: list[str]  # external ids this page proves gone from the store
    final: bool  # writing this page completes the run
    listed: int  # products this page adds to the run's count (a re-walk counts only new ones)
    # Where a run resumes once this page is written (the checkpoint): page `next_page` of
    # walk `next_walk` (0: the first walk of the listing; 1, 2: re-walks after it shifted),
    # with what that walk has seen so far (`ListingWatch.as_dict()`; incremental only).
    next_page: int
    next_walk: int = 0
    watch: dict[str, Any] | None = None


def is_last_page(page: CatalogPage, per_page: int) -> bool:
    if len(page.raw_ids) < per_page:
        return True
    return page.total_pages is not None and page.number >= page.total_pages


async def recheck(
    source: CatalogSource, product_ids: list[int]
) -> tuple[list[ProductDocument], list[str]]:
    """Ask the store by id about products a listing did not show where expected.

    Returns (documents of those still published and indexable, external ids of the rest).
    """
    found = await source.products(product_ids)
    alive = [d for d in found if d.indexable and d.row.status == "publish"]
    alive_ids = {d.row.external_id for d in alive}
    return alive, [str(i) for i in product_ids if str(i) not in alive_ids]


class StoredIds:
    """Our index's product ids for the store, sorted for range look-ups.

    Loaded once as a run (or a Celery slice of it) begins, instead of one range query per
    page. It never needs refreshing: products the run writes are on the pages that write
    them, and those it deletes lie in ranges already settled.
    """

    def __init__(self, ids: Iterable[int]) -> None:
        self._ids = sorted(set(ids))

    def between(self, above: int | None, up_to: int | None) -> list[int]:
        """Ids in (above, up_to]; None leaves that side open."""
        low = 0 if above is None else bisect_right(self._ids, above)
        high = len(self._ids) if up_to is None else bisect_right(self._ids, up_to)
        return self._ids[low:high]


@dataclass
class RangeWalk:
    source: CatalogSource
    query: PageQuery
    stored: StoredIds
    _: KW_ONLY
    first_page: int
    last_id: int | None  # the highest id settled before this run resumed
    per_page: int

    async def pages(self) -> AsyncGenerator[FetchedPage, None]:
        number, lower = self.first_page, self.last_id
        while True:
            page = await self.source.page(number, self.query)
            last = is_last_page(page, self.per_page)
            deletions = await self._settle(page, lower, last)
            if page.raw_ids:
                lower = max(page.raw_ids)
            yield FetchedPage(
                page, deletions, final=last, listed=len(page.raw_ids), next_page=number + 1
            )
            if last:
                return
            number += 1

    async def _settle(self, page: CatalogPage, lower: int | None, last: bool) -> list[str]:
        """Which indexed products this page proves gone (and indexable stragglers it missed)."""
        gone = [d.row.external_id for d in page.documents if not d.indexable]
        upper = None if last else (max(page.raw_ids) if page.raw_ids else None)
        if not last and upper is None:
            return gone
        on_page = set(page.raw_ids)
        missing = [i for i in self.stored.between(lower, upper) if i not in on_page]
        if missing:
            alive, dropped = await recheck(self.source, missing)
            page.documents.extend(alive)
            gone += dropped
        return gone


@dataclass
class ListingWatch:
    """What the current walk of a listing has seen: whether it shifted under the paging.

    Kept in the job's checkpoint (`as_dict`), so a walk split over several Celery steps, or
    resumed after a crash, still decides on the whole walk.
    """

    first_total: int | None = None
    total_moved: bool = False
    listed: int = 0

    def see(self, page: CatalogPage) -> None:
        if page.total is not None:
            if self.first_total is None:
                self.first_total = page.total
            elif page.total != self.first_total:
                self.total_moved = True
        self.listed += len(page.raw_ids)

    def shifted(self, last: CatalogPage) -> bool:
        return self.total_moved or (last.total is not None and self.listed < last.total)

    def as_dict(self) -> dict[str, Any]:
        return {
            "first_total": self.first_total,
            "total_moved": self.total_moved,
            "listed": self.listed,
        }

    @classmethod
    def from_dict(cls, saved: Mapping[str, Any] | None) -> ListingWatch:
        saved = saved or {}
        return cls(
            saved.get("first_total"), bool(saved.get("total_moved")), int(saved.get("listed") or 0)
        )


KnownModifiedLoader = Callable[[], Awaitable[Mapping[int, datetime]]]


@dataclass
class IncrementalWalk:
    source: CatalogSource
    query: PageQuery
    _: KW_ONLY
    first_page: int
    first_walk: int
    watch: ListingWatch
    load_known_modified: KnownModifiedLoader
    per_page: int
    cursor: datetime = field(init=False)  # the query's `modified_after`

    def __post_init__(self) -> None:
        if self.query.modified_after is None:
            raise ValueError("an incremental walk lists the products modified after a cursor")
        self.cursor = self.query.modified_after

    async def pages(self) -> AsyncGenerator[FetchedPage, None]:
        walk, number, watch = self.first_walk, self.first_page, self.watch
        while True:
            query = self.query
            if walk > 0:
                query = replace(query, known_modified=await self.load_known_modified())
            while True:
                page = await self.source.page(number, query)
                watch.see(page)
                deletions = [d.row.external_id for d in page.documents if not d.indexable]
                # A re-walk counts only what it adds: products this run had not written yet.
                listed = (
                    len(page.raw_ids)
                    if walk == 0
                    else sum(not d.facts_only for d in page.documents)
                )
                if is_last_page(page, self.per_page):
                    break
                yield FetchedPage(
                    page,
                    deletions,
                    final=False,
                    listed=listed,
                    next_page=number + 1,
                    next_walk=walk,
                    watch=watch.as_dict(),
                )
                number += 1
            shifted = watch.shifted(page)
            if shifted and walk + 1 < MAX_WALKS:
                # Written, this page hands over to the re-walk: a run resumed after it starts there.
                yield FetchedPage(
                    page,
                    deletions,
                    final=False,
                    listed=listed,
                    next_page=1,
                    next_walk=walk + 1,
                    watch=ListingWatch().as_dict(),
                )
                walk, number, watch = walk + 1, 1, ListingWatch()
                continue
            if shifted:
                log.warning(
                    "the store's listing kept changing over %d walks; the next sync settles it",
                    MAX_WALKS,
                )
            deletions += [str(i) for i in await self.source.trashed_since(self.cursor)]
            yield FetchedPage(
                page, deletions, final=True, listed=listed, next_page=number + 1, next_walk=walk
            )
            return
