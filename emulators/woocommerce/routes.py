"""Route handlers of the fake store: WordPress index, wc/v3 catalogue, system status."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from starlette.responses import Response

from emulators.catalog import JsonDict
from emulators.woocommerce.auth import ApiKey
from emulators.woocommerce.faults import Fault
from emulators.woocommerce.state import StoreState
from emulators.woocommerce.wire import Args, WPError, json_response, php_json

PRODUCT_STATUSES = ("any", "future", "trash", "draft", "pending", "private", "publish")
HIDDEN_FROM_ANY = ("trash", "auto-draft")  # `status=any` excludes statuses hidden from search
PRODUCT_ORDERBY = (
    "date",
    "id",
    "include",
    "title",
    "slug",
    "modified",
    "price",
    "popularity",
    "rating",
)
WC_NAMESPACES = ("wc/v3", "wc/v2", "wc/v1", "wc/store/v1", "wc-analytics")
CORE_NAMESPACES = ("oembed/1.0", "wp/v2", "wp-site-health/v1", "wp-block-editor/v1")


@dataclass
class RestRequest:
    method: str
    route: str
    query: dict[str, str]
    body: dict[str, Any]
    home_url: str  # scheme://host:port as is_ssl() implies
    pretty_permalinks: bool
    is_ssl: bool
    key: ApiKey | None = None
    auth_via: str = ""
    faults: list[Fault] = field(default_factory=list)

    def rest_url(self, route: str) -> str:
        if self.pretty_permalinks:
            return f"{self.home_url}/wp-json{route}"
        return f"{self.home_url}/?rest_route={route}"


def paged_response(
    items: list[JsonDict],
    request: RestRequest,
    args: Args,
    encode: Callable[[list[JsonDict]], str] = php_json,
) -> Response:
    """`X-WP-Total`, `X-WP-TotalPages` and a `Link` with only prev/next, as WC_REST_CRUD emits."""
    page = args.integer("page", 1, minimum=1)
    per_page = args.integer("per_page", 10, minimum=1, maximum=100)
    offset = args.integer("offset", 0, minimum=0)
    args.raise_if_invalid()
    start = offset if offset else (page - 1) * per_page
    total = len(items)
    max_pages = math.ceil(total / per_page)
    headers = {"X-WP-Total": str(total), "X-WP-TotalPages": str(max_pages)}
    links = []
    query = {k: v for k, v in request.query.items() if k != "rest_route"}
    separator = "&" if not request.pretty_permalinks else "?"
    if page > 1:
        prev_query = urlencode({**query, "page": min(page - 1, max(max_pages, 1))})
        links.append(f'<{request.rest_url(request.route)}{separator}{prev_query}>; rel="prev"')
    if max_pages > page:
        next_query = urlencode({**query, "page": page + 1})
        links.append(f'<{request.rest_url(request.route)}{separator}{next_query}>; rel="next"')
    if links:
        headers["Link"] = ", ".join(links)
    return json_response(items[start : start + per_page], headers=headers, encode=encode)


def list_products(state: StoreState, request: RestRequest) -> Response:
    args = Args(request.query)
    status = args.choice("status", "any", PRODUCT_STATUSES)
    order = args.choice("order", "desc", ("asc", "desc"))
    orderby = args.choice("orderby", "date", PRODUCT_ORDERBY)
    gmt = args.boolean("dates_are_gmt", False)
    bounds = {
        name: args.date(name) for name in ("after", "before", "modified_after", "modified_before")
    }
    include, exclude = args.id_list("include"), args.id_list("exclude")
    product_type = args.choice("type", "", ("", "simple", "grouped", "external", "variable"))
    args.raise_if_invalid()

    def matches(product: JsonDict) -> bool:
        if status == "any" and product["status"] in HIDDEN_FROM_ANY:
            return False
        if status != "any" and product["status"] != status:
            return False
        if (include and product["id"] not in include) or product["id"] in exclude:
            return False
        if product_type and product["type"] != product_type:
            return False
        if request.query.get("sku") and product["sku"] not in request.query["sku"].split(","):
            return False
        if request.query.get("category") and not any(
            str(c["id"]) == request.query["category"] for c in product["categories"]
        ):
            return False
        search = request.query.get("search", "").lower()
        if (
            search
            and search not in product["name"].lower()
            and search not in product["description"].lower()
        ):
            return False
        return _within_dates(product, bounds, gmt)

    def listing() -> list[JsonDict]:
        return _order(
            state, [p for p in state.catalog.products if matches(p)], orderby, order, include
        )

    # Everything that decides which products are listed, and in what order (not the page).
    shape = (
        status,
        order,
        orderby,
        gmt,
        tuple(bounds.items()),
        tuple(include),
        tuple(exclude),
        product_type,
        request.query.get("sku"),
        request.query.get("category"),
        request.query.get("search"),
    )
    with state.lock:
        listed = state.listings.listing(shape, listing)
        if any(f.kind == "drop_items" for f in request.faults):
            _drop_served_items(state, request, listed)  # trashing empties the cache
            listed = state.listings.listing(shape, listing)
        return paged_response(listed, request, args, encode=state.listings.encode_products)


def _within_dates(product: JsonDict, bounds: dict[str, datetime | None], gmt: bool) -> bool:
    """WP_Date_Query `after`/`before` are exclusive; the column depends on `dates_are_gmt`."""
    suffix = "_gmt" if gmt else ""
    created = datetime.fromisoformat(product[f"date_created{suffix}"])
    modified = datetime.fromisoformat(product[f"date_modified{suffix}"])
    checks = (
        (bounds["after"], created, True),
        (bounds["before"], created, False),
        (bounds["modified_after"], modified, True),
        (bounds["modified_before"], modified, False),
    )
    for bound, value, is_after in checks:
        if bound is not None and (
            (is_after and not value > bound) or (not is_after and not value < bound)
        ):
            return False
    return True


def _order(
    state: StoreState, items: list[JsonDict], orderby: str, order: str, include: list[int]
) -> list[JsonDict]:
    def key(product: JsonDict) -> tuple[Any, int]:
        if orderby == "date":
            return (
                product["date_created_gmt"],
                product["id"],
            )  # SRC appends " ID" for stable pages
        if orderby == "modified":
            return (product["date_modified_gmt"], product["id"])
        if orderby == "title":
            return (product["name"].lower(), product["id"])
        if orderby == "slug":
            return (product["slug"], product["id"])
        if orderby == "price":
            return (Decimal(product["price"] or "0"), product["id"])
        if orderby == "popularity":
            return (product["total_sales"], product["id"])
        if orderby == "rating":
            return (Decimal(product["average_rating"]), product["id"])
        if orderby == "include" and include:
            return (
                include.index(product["id"]) if product["id"] in include else len(include),
                product["id"],
            )
        return (product["id"], product["id"])

    ordered = sorted(items, key=key)
    return ordered if order == "asc" or orderby == "include" else list(reversed(ordered))


def _drop_served_items(state: StoreState, request: RestRequest, listed: list[JsonDict]) -> None:
    args = Args(request.query)
    start = (args.integer("page", 1, 1) - 1) * args.integer("per_page", 10, 1, 100)
    count = max(f.drop_count for f in request.faults if f.kind == "drop_items")
    for victim in listed[:start][:count]:
        state.trash_product(victim["id"])


def get_product(state: StoreState, request: RestRequest, product_id: int) -> Response:
    with state.lock:
        product = state.catalog.product(product_id)
        if product is None:
            raise WPError("woocommerce_rest_product_invalid_id", "Invalid ID.", 404)
        return json_response(product)


def list_variations(state: StoreState, request: RestRequest, product_id: int) -> Response:
    args = Args(request.query)
    status = args.choice("status", "any", PRODUCT_STATUSES)
    with state.lock:
        if state.catalog.product(product_id) is None:
            raise WPError("woocommerce_rest_product_invalid_id", "Invalid ID.", 404)
        variations = [
            v
            for v in state.catalog.variations.get(product_id, [])
            if (status == "any" and v["status"] not in HIDDEN_FROM_ANY) or v["status"] == status
        ]
        # Variations list in menu order, then by id; the docs' example lists newest first.
        variations = sorted(variations, key=lambda v: (v["menu_order"], v["id"]), reverse=True)
        return paged_response(variations, request, args)


def list_categories(state: StoreState, request: RestRequest) -> Response:
    args = Args(request.query)
    order = args.choice("order", "asc", ("asc", "desc"))
    orderby = args.choice(
        "orderby", "name", ("id", "include", "name", "slug", "term_group", "description", "count")
    )
    hide_empty = args.boolean("hide_empty", False)
    args.raise_if_invalid()
    with state.lock:
        categories = [c for c in state.catalog.categories if not (hide_empty and c["count"] == 0)]
        sort_key = {"id": "id", "slug": "slug", "count": "count", "description": "description"}.get(
            orderby, "name"
        )
        categories = sorted(
            categories, key=lambda c: (c[sort_key], c["id"]), reverse=order == "desc"
        )
        return paged_response(categories, request, args)


def list_reviews(state: StoreState, request: RestRequest) -> Response:
    args = Args(request.query)
    status = args.choice("status", "approved", ("all", "hold", "approved", "spam", "trash"))
    order = args.choice("order", "desc", ("asc", "desc"))
    products = set(args.id_list("product"))
    args.raise_if_invalid()
    with state.lock:
        reviews = [
            r
            for r in state.catalog.reviews
            if (status == "all" or r["status"] == status)
            and (not products or r["product_id"] in products)
        ]
        reviews = sorted(
            reviews, key=lambda r: (r["date_created_gmt"], r["id"]), reverse=order == "desc"
        )
        return paged_response(reviews, request, args)


def system_status(state: StoreState, request: RestRequest) -> Response:
    settings = state.catalog.settings
    with state.lock:
        published = sum(1 for p in state.catalog.products if p["status"] == "publish")
    return json_response(
        {
            "environment": {
                "home_url": request.home_url,
                "site_url": request.home_url,
                "version": settings.wc_version,
                "wp_version": settings.wp_version,
                "wp_multisite": False,
                "wp_memory_limit": 268435456,
                "wp_debug_mode": False,
                "language": "en_US",
                "server_info": "nginx/1.24.0",
                "php_version": "8.2.15",
                "default_timezone": "UTC",
            },
            "database": {"wc_database_version": settings.wc_version},
            "active_plugins": [
                {
                    "plugin": "woocommerce/woocommerce.php",
                    "name": "WooCommerce",
                    "version": settings.wc_version,
                    "author_name": "Automattic",
                }
            ],
            "theme": {"name": "Storefront", "version": "4.6.0"},
            "settings": {
                "api_enabled": True,
                "force_ssl": False,
                "currency": settings.currency,
                "currency_symbol": settings.currency_symbol,
                "currency_position": "left",
                "thousand_separator": ",",
                "decimal_separator": ".",
                "number_of_decimals": 2,
            },
            "security": {"secure_connection": request.is_ssl, "hide_errors": True},
            "pages": [],
            "post_type_counts": [{"type": "product", "count": str(published)}],
        }
    )


def wordpress_index(state: StoreState, request: RestRequest, woocommerce_active: bool) -> Response:
    settings = state.catalog.settings
    namespaces = list(CORE_NAMESPACES) + (list(WC_NAMESPACES) if woocommerce_active else [])
    return json_response(
        {
            "name": settings.site_name,
            "description": "Outdoor gear and everyday goods",
            "url": request.home_url,
            "home": request.home_url,
            "gmt_offset": str(settings.gmt_offset_hours),
            "timezone_string": "",
            "namespaces": namespaces,
            "authentication": {
                "application-passwords": {
                    "endpoints": {
                        "authorization": f"{request.home_url}/wp-admin/authorize-application.php"
                    }
                }
            },
            "site_logo": 0,
            "site_icon": 0,
            "site_icon_url": "",
            "routes": {
                "/": {"namespace": "", "methods": ["GET"], "endpoints": [{"methods": ["GET"]}]}
            },
        }
    )


def woocommerce_namespace_index(request: RestRequest) -> Response:
    routes = (
        "",
        "/products",
        "/products/(?P<id>[\\d]+)",
        "/products/(?P<product_id>[\\d]+)/variations",
        "/products/categories",
        "/products/reviews",
        "/orders",
        "/orders/(?P<id>[\\d]+)",
        "/orders/(?P<order_id>[\\d]+)/notes",
        "/webhooks",
        "/webhooks/(?P<id>[\\d]+)",
        "/system_status",
    )
    return json_response(
        {
            "namespace": "wc/v3",
            "routes": {
                f"/wc/v3{route}": {
                    "namespace": "wc/v3",
                    "methods": ["GET"],
                    "_links": {"self": [{"href": request.rest_url(f"/wc/v3{route}")}]},
                }
                for route in routes
            },
        }
    )
