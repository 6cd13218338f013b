"""The wc/v3 order routes over the store's seeded orders (`order_book.py`).

`GET /orders` (search over the number, billing and shipping fields and item names,
`status`, `include`, paging with X-WP-Total and X-WP-TotalPages), `GET /orders/<id>` (404
`woocommerce_rest_shop_order_invalid_id`, "Invalid ID."), `GET /orders/<id>/notes`
(`type`: any, customer, internal; not paged: WooCommerce lists all notes of an order; an
unknown order is the same code with "Invalid order ID.").
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from starlette.responses import Response

from emulators.catalog import JsonDict
from emulators.woocommerce.order_book import ORDER_STATUSES
from emulators.woocommerce.routes import RestRequest, paged_response
from emulators.woocommerce.wire import Args, WPError, json_response

if TYPE_CHECKING:
    from emulators.woocommerce.state import StoreState

LIST_STATUSES = ("any", "trash", *ORDER_STATUSES, "failed", "checkout-draft")
INVALID_ORDER_ID = ("woocommerce_rest_shop_order_invalid_id", "Invalid ID.")


def list_orders(state: StoreState, request: RestRequest) -> Response:
    args = Args(request.query)
    status = args.choice("status", "any", LIST_STATUSES)
    order = args.choice("order", "desc", ("asc", "desc"))
    include = args.id_list("include")
    args.raise_if_invalid()
    search = request.query.get("search", "").strip().lower()
    with state.lock:
        orders = [
            o
            for o in state.order_book()[0]
            if (status == "any" or o["status"] == status)
            and (not include or o["id"] in include)
            and (not search or search in _searchable(o))
        ]
        orders = sorted(orders, key=lambda o: (o["date_created_gmt"], o["id"]))
        if order == "desc":
            orders.reverse()
        return paged_response(orders, request, args)


def _searchable(order: JsonDict) -> str:
    """What WooCommerce's order search looks in: the number, billing and shipping fields."""
    fields = [order["number"], *order["billing"].values(), *order["shipping"].values()]
    fields += [item["name"] for item in order["line_items"]]
    return " ".join(str(f) for f in fields).lower()


def get_order(state: StoreState, request: RestRequest, order_id: int) -> Response:
    with state.lock:
        found = next((o for o in state.order_book()[0] if o["id"] == order_id), None)
        if found is None:
            raise WPError(*INVALID_ORDER_ID, 404)
        return json_response(found)


def list_order_notes(state: StoreState, request: RestRequest, order_id: int) -> Response:
    args = Args(request.query)
    kind = args.choice("type", "any", ("any", "customer", "internal"))
    args.raise_if_invalid()
    with state.lock:
        orders, notes = state.order_book()
        if not any(o["id"] == order_id for o in orders):
            raise WPError("woocommerce_rest_shop_order_invalid_id", "Invalid order ID.", 404)
        listed = [
            n
            for n in notes.get(order_id, [])
            if kind == "any" or n["customer_note"] == (kind == "customer")
        ]
        return json_response(listed)
