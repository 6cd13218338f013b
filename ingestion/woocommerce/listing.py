"""How the client lists products: the query, the page shapes it returns, the list check.

Product listings are always sorted by id ascending: the order never depends on data that
changes (a price, a modification date), so between two requests a product can only shift
because another one appeared or disappeared, and sync checkpoints can name an id range.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from ingestion.woocommerce import errors
from ingestion.woocommerce.mapping import ProductRecord, ReviewRecord
from ingestion.woocommerce.session import StoreResponse, StoreSession

MAX_PER_PAGE = 100  # WC_REST_CRUD_Controller: per_page maximum 100
JsonDict = dict[str, Any]


@dataclass(frozen=True)
class ProductPage:
    number: int
    # From X-WP-TotalPages / X-WP-Total; None when a caching proxy stripped the headers
    # (`WooClient.product_page`), the page count so far when walking (`iter_product_pages`).
    total_pages: int | None
    total_products: int | None
    products: tuple[JsonDict, ...]  # raw wc/v3 product objects
    rewalk: bool = False  # from the second walk, made because the listing changed while paging


@dataclass(frozen=True)
class CatalogPage:
    number: int
    total_pages: int | None
    total_products: int | None
    products: tuple[ProductRecord, ...]
    reviews: Mapping[int, tuple[ReviewRecord, ...]]  # approved reviews by product external_id
    rewalk: bool = False


def product_listing_params(status: str, modified_after: datetime | None) -> dict[str, str | int]:
    params: dict[str, str | int] = {"status": status, "orderby": "id", "order": "asc"}
    if modified_after is not None:
        params["modified_after"] = to_wc_gmt(modified_after)
        params["dates_are_gmt"] = "true"  # compare against date_modified_gmt, not site-local time
    return params


def to_wc_gmt(moment: datetime) -> str:
    """ISO 8601 without zone, in GMT, as `modified_after` with `dates_are_gmt=true` expects."""
    if moment.tzinfo is None:
        raise ValueError("modified_after must be timezone-aware (naive datetimes are ambiguous)")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S")


def as_list(response: StoreResponse, store_url: str) -> list[JsonDict]:
    if not isinstance(response.data, list) or not all(
        isinstance(item, dict) for item in response.data
    ):
        raise errors.StoreResponseMalformed(
            "The store answered a list request with something that is not a list.",
            store_url=store_url,
        )
    return response.data


async def walk_pages(
    session: StoreSession, route: str, params: Mapping[str, str | int], per_page: int = MAX_PER_PAGE
) -> AsyncIterator[tuple[int, int, int, list[JsonDict]]]:
    """(page, total pages, total items, items) until `X-WP-TotalPages` says stop.

    Without the headers (some caching proxies strip them) a short page ends the walk.
    """
    page = 1
    while True:
        response = await session.get(route, {**params, "page": page, "per_page": per_page})
        items = as_list(response, session.base_url)
        total_pages = response.header_int("X-WP-TotalPages")
        total = response.header_int("X-WP-Total")
        yield (
            page,
            total_pages if total_pages is not None else page,
            total if total is not None else len(items),
            items,
        )
        last = page >= total_pages if total_pages is not None else len(items) < per_page
        if last or not items:
            return
        page += 1
