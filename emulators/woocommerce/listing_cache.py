"""Memoised product listings and their JSON, so paging a large fake catalogue stays cheap.

Without it every page request filters, sorts and serialises the whole catalogue again
(about 90 ms a page at 10,000 products), and benchmarks of our sync would mostly measure
the fake. WordPress answers a page with one indexed query; this is the fake's equivalent.

Correctness rests on one rule: every change to the catalogue goes through a `StoreState`
method marked `@changes_catalogue` (or, for the URL rebase at start-up, clears the cache
itself), so a listing always reflects the catalogue as it is when the request arrives.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Hashable
from typing import Any, Concatenate, ParamSpec, Protocol, TypeVar

from emulators.catalog import JsonDict
from emulators.woocommerce.wire import php_json

P = ParamSpec("P")
R = TypeVar("R")
# Distinct listings kept; every `include=` look-up and `modified_after` cursor is its own.
MAX_LISTINGS = 64


class ListingCache:
    def __init__(self) -> None:
        self._listings: dict[Hashable, list[JsonDict]] = {}
        self._encoded: dict[int, str] = {}  # product id → its wp_json_encode() text

    def listing(self, key: Hashable, build: Callable[[], list[JsonDict]]) -> list[JsonDict]:
        """The filtered, ordered listing for `key` (all query arguments that shape it)."""
        found = self._listings.get(key)
        if found is None:
            if len(self._listings) >= MAX_LISTINGS:
                del self._listings[next(iter(self._listings))]  # the oldest
            found = self._listings[key] = build()
        return found

    def encode_products(self, products: list[JsonDict]) -> str:
        """`php_json(products)`, assembled from each product's cached encoding."""
        parts = []
        for product in products:
            text = self._encoded.get(product["id"])
            if text is None:
                text = self._encoded[product["id"]] = php_json(product)
            parts.append(text)
        return "[" + ",".join(parts) + "]"

    def clear(self) -> None:
        self._listings.clear()
        self._encoded.clear()


class HasListingCache(Protocol):
    listings: ListingCache
    lock: Any


S = TypeVar("S", bound=HasListingCache)


def changes_catalogue(method: Callable[Concatenate[S, P], R]) -> Callable[Concatenate[S, P], R]:
    """Marks a method that changes products, variations or reviews: cached listings go stale.

    The cache is emptied under the store's lock even when the change fails half-way (a
    KeyError for an unknown variation after the parent was touched, say).
    """

    @functools.wraps(method)
    def wrapper(self: S, *args: P.args, **kwargs: P.kwargs) -> R:
        with self.lock:
            try:
                return method(self, *args, **kwargs)
            finally:
                self.listings.clear()

    return wrapper
