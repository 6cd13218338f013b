"""The SQL condition that the bot's store and a question's product filters put on a chunk,
and that the plan puts on knowledge chunks: a document a downgrade suspended
(`knowledge_documents.suspended_by_plan_at`) is not searched until the plan resumes it."""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from core.ids import TenantId
from engine.retrieval.filters import QueryFilters

# Knowledge chunks of live documents only (product chunks pass). An anti-join on the suspended
# documents, which are almost always none: the planner hashes that empty list once.
LIVE_KNOWLEDGE_SQL = (
    "(c.knowledge_document_id IS NULL OR c.knowledge_document_id NOT IN ("
    "SELECT d.id FROM knowledge_documents d WHERE d.tenant_id = :tenant_id "
    "AND d.suspended_by_plan_at IS NOT NULL))"
)


def product_filter_sql(
    filters: QueryFilters,
    store_id: uuid.UUID | None,
    params: dict[str, Any],
    only_product: uuid.UUID | None = None,
    allowed: AllowedProducts | None = None,
    per_candidate: bool = False,
) -> str:
    """A condition on the chunk `c` (adding its values to `params`); knowledge chunks pass
    only when the question states no product constraint.

    Product conditions are a semi-join (`c.product_id IN (SELECT ...)`), not a join: the
    planner hashes the tenant's matching product ids once and probes it per chunk.
    `allowed` is the result of `allowed_products` for these filters, when the caller has
    it: the product conditions are then not evaluated again.

    `per_candidate` (a large tenant, `checks_each_candidate`): the conditions are checked
    on each candidate chunk's product, found by its primary key. Hashing the matching
    products reads all of them: 50-60 ms per ranker for the store's condition alone on
    the bench's 100,000-product tenant, whose rankers look at a few thousand chunks at
    most (bench/README_retrieval.md, "Statement by statement")."""
    if only_product is not None:
        params["only_product"] = only_product
        return "c.product_id = :only_product"
    if allowed is not None:
        params["allowed"] = allowed.literal
        return allowed.condition
    clauses = _product_clauses(filters, store_id, params)
    if not clauses:
        # No product condition: the rankers need not look at products at all.
        return LIVE_KNOWLEDGE_SQL
    if per_candidate:
        # A scalar subquery, not EXISTS: PostgreSQL turns a correlated EXISTS into a semi-
        # join or a hashed subplan, both of which read every product the clauses let
        # through (73 ms for the store's condition alone at 100,000); a scalar subquery
        # stays a lookup by primary key for each chunk the ranker actually looks at.
        products = (
            "coalesce((SELECT true FROM products p WHERE p.tenant_id = :tenant_id "
            "AND p.id = c.product_id AND " + " AND ".join(clauses) + "), false)"
        )
    else:
        products = (
            "c.product_id IN (SELECT p.id FROM products p WHERE p.tenant_id = :tenant_id AND "
            + " AND ".join(clauses)
            + ")"
        )
    if filters.any:
        return products
    return f"((c.knowledge_document_id IS NOT NULL AND {LIVE_KNOWLEDGE_SQL}) OR {products})"


# Above this many chunks a tenant's product conditions are checked on each candidate chunk
# instead of listed or hashed up front (`checks_each_candidate`).
LISTED_FILTER_MAX_CHUNKS = 20_000


def checks_each_candidate(chunk_total: int | None) -> bool:
    """Whether the rankers check a tenant's product conditions per candidate chunk: a
    tenant of more than LISTED_FILTER_MAX_CHUNKS chunks (its stored count; unknown counts
    as small). A category or a price can let through tens of thousands of its products,
    and listing them cost more than the rankers themselves: on the bench's 100,000-product
    tenant the list took 235 ms p50 to build and each ranker ~250 ms to probe it."""
    return (chunk_total or 0) > LISTED_FILTER_MAX_CHUNKS


# From this share of a tenant's products, a list is checked on the rows the rankers read
# rather than looked up in the product-id index (`AllowedProducts.condition`).
HASHED_LIST_MIN_SHARE = 0.2


@dataclass(frozen=True, slots=True)
class AllowedProducts:
    """The products a question's filters let through, as PostgreSQL's own array literal
    (`{id,id,...}`): it goes back to the rankers as a text parameter, so its ids are never
    parsed into Python UUIDs and dumped again. Sent as a Python list, 1,000 ids cost the
    client 2.5 ms per statement that took them (bench/README_retrieval.md)."""

    literal: str
    count: int
    tenant_products: int

    @property
    def condition(self) -> str:
        """The chunk's condition. A short list is looked up in the product-id index. From
        HASHED_LIST_MIN_SHARE of the tenant's products on, the list is hashed and checked
        on the tenant's rows, which the exact vector scan and the text ranker read anyway:
        the index lookups of 1,000 ids cost 3.6 ms against 2.2 ms (a 2,000-product tenant,
        measured at shares from 0.5 % to 80 %; they break even at about 20 %). The
        `coalesce` only keeps the index out: a knowledge chunk (no product) is tested by
        its own id, which no product has."""
        if self.count < HASHED_LIST_MIN_SHARE * self.tenant_products:
            return "c.product_id = ANY(CAST(:allowed AS uuid[]))"
        return "coalesce(c.product_id, c.id) = ANY(CAST(:allowed AS uuid[]))"

    def ids(self) -> set[uuid.UUID]:
        """The ids themselves, for checks and reports (retrieval never needs them)."""
        return {uuid.UUID(i) for i in self.literal.strip("{}").split(",") if i}


async def allowed_products(
    session: AsyncSession,
    *,
    tenant_id: TenantId,
    filters: QueryFilters,
    store_id: uuid.UUID | None,
    chunk_total: int | None = None,
) -> AllowedProducts | None:
    """The products a question's filters let through, or None when it states none (the
    store's condition alone is cheaper as a semi-join than as a list) or when the tenant
    is large (`checks_each_candidate`: the rankers check them per chunk).

    Both rankers apply the same filters; a colour or a category is a JSON or array scan
    per product (about 7 ms on a 2,000-product tenant), so it is evaluated once, here,
    while the question is being embedded, instead of once per ranker after it."""
    if not filters.any or checks_each_candidate(chunk_total):
        return None
    params: dict[str, Any] = {"tenant_id": tenant_id}
    clauses = " AND ".join(_product_clauses(filters, store_id, params))
    # The conditions once per product; the list's length and the tenant's product count
    # (which choose how the rankers check it) come with it.
    row = (
        await session.execute(
            text(
                "SELECT ids::text AS literal, cardinality(ids) AS listed, total FROM ("
                f"SELECT coalesce(array_agg(p.id) FILTER (WHERE {clauses}), '{{}}') AS ids, "
                "count(*) AS total FROM products p WHERE p.tenant_id = :tenant_id) AS found"
            ),
            params,
        )
    ).one()
    return AllowedProducts(row.literal, row.listed, row.total)


def _product_clauses(
    filters: QueryFilters, store_id: uuid.UUID | None, params: dict[str, Any]
) -> list[str]:
    """Conditions on the product row `p`."""
    clauses: list[str] = []
    if store_id is not None:
        clauses.append("p.store_id = :store_id")
        params["store_id"] = store_id
    if filters.min_price is not None:
        clauses.append("p.price >= :min_price")
        params["min_price"] = filters.min_price
    if filters.max_price is not None:
        clauses.append("p.price <= :max_price")
        params["max_price"] = filters.max_price
    if filters.in_stock_only:
        clauses.append("p.stock_status IN ('instock', 'onbackorder')")
    if filters.on_sale_only:
        clauses.append("p.on_sale")
    if filters.categories:
        # Any of the product's categories, whatever the case: the array lower-cased as one
        # text and read back, a function call per product instead of a subquery over its
        # categories (1.9 against 3.0 ms over a 2,000-product tenant, the same products).
        clauses.append(
            "CAST(lower(CAST(p.categories AS text)) AS text[]) && CAST(:categories AS text[])"
        )
        params["categories"] = list(filters.categories)
    for i, value in enumerate(filters.attribute_values):
        # One of the product's attribute options, whatever the case ("navy" is "Navy"): a
        # JSON path, evaluated in C per product, instead of a set-returning join over its
        # attributes and their options: 2 ms instead of 5 ms over a 2,000-product tenant.
        clauses.append(f"p.attributes @? CAST(:attr_{i} AS jsonpath)")
        params[f"attr_{i}"] = attribute_option_path(value)
    return clauses


# ASCII punctuation, escaped in a regular expression; a backslash before a letter or a digit
# (ASCII or not) would be an escape of its own ("\\w").
_REGEX_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")


def attribute_option_path(value: str) -> str:
    """A JSON path true when an option of any of a product's attributes (`{"Color":
    ["Navy", "Blue"]}`) is `value`, case aside. Attributes are lists of options
    (ingestion.indexing.documents); in lax mode a single string would count too."""
    pattern = "^" + _REGEX_PUNCTUATION.sub(r"\\\1", value) + "$"
    return f'$.*[*] ? (@ like_regex {json.dumps(pattern)} flag "i")'


# The orders a shopper can ask for, over the product row `p`; ties by id, so an order is
# reproducible. Prices and ratings the store does not give come last.
_ORDER_BY = {
    "price_asc": "p.price ASC NULLS LAST",
    "price_desc": "p.price DESC NULLS LAST",
    # The store's own last change: WooCommerce's creation date is not kept, and a product
    # just added is also just modified.
    "newest": "p.source_modified_at DESC NULLS LAST",
    "rating": "p.average_rating DESC NULLS LAST, p.rating_count DESC",
}


async def ordered_products(
    session: AsyncSession,
    *,
    tenant_id: TenantId,
    filters: QueryFilters,
    store_id: uuid.UUID | None,
    limit: int,
    among: Sequence[uuid.UUID] | None = None,
) -> list[uuid.UUID]:
    """The first `limit` published products in the order the question asked for
    (`filters.order`), over every product its filters let through, not only the ones
    retrieval ranked: "the cheapest tent in stock" is the cheapest of them all. `among`
    narrows it to the products a described kind matched ("cheapest tent")."""
    if filters.order not in _ORDER_BY:
        return []
    params: dict[str, Any] = {"tenant_id": tenant_id, "limit": limit}
    clauses = ["p.status = 'publish'", *_product_clauses(filters, store_id, params)]
    if filters.order in ("price_asc", "price_desc"):
        clauses.append("p.price IS NOT NULL")
    if filters.order == "rating":
        clauses.append("p.rating_count > 0")
    if among is not None:
        clauses.append("p.id = ANY(CAST(:among AS uuid[]))")
        params["among"] = list(among)
    rows = await session.scalars(
        text(
            "SELECT p.id FROM products p WHERE p.tenant_id = :tenant_id AND "
            + " AND ".join(clauses)
            + f" ORDER BY {_ORDER_BY[filters.order]}, p.id LIMIT :limit"
        ),
        params,
    )
    return list(rows.all())
