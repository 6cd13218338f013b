"""The store's orders, seeded from its catalogue (the routes are in `orders.py`).

Orders are generated once per store from its seed (`seeded_orders`): the same seed and
catalogue always give the same orders, numbers, billing emails, statuses and notes, so a
test can read one back (`FakeWooStore.orders()`) and ask about it. Shape as WooCommerce
serves it (`WC_REST_Orders_Controller`): `number` is the id as a string, money as strings
with the store's decimals, dates site-local and `_gmt`, `line_items` with the product's
name, quantity, price and totals; notes are comments with a `customer_note` flag, and only
orders that shipped (`completed`) carry the customer note with the carrier and tracking
number. Every order also has an internal note ("Payment received"), which a client that
asks for `type=customer` must never see.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from decimal import Decimal

from emulators.catalog import Catalog, JsonDict
from emulators.catalog.shapes import date_pair

ORDER_STATUSES = ("pending", "processing", "on-hold", "completed", "cancelled", "refunded")
SEEDED_ORDERS = 40
FIRST_ORDER_ID = 5001  # order ids come from the posts sequence, well after the products'
CARRIERS = (("UPS", "1Z"), ("DHL", "JD"), ("USPS", "94"))
FIRST_NAMES = ("Ana", "Ben", "Chloe", "David", "Emma", "Farid", "Grace", "Hugo", "Ines", "Jon")
LAST_NAMES = ("Alvarez", "Brown", "Chen", "Dubois", "Evans", "Fischer", "Garcia", "Hansen")
ORDERS_EPOCH = datetime(2026, 3, 1, 9, 0, 0)


def seeded_orders(
    catalog: Catalog, seed: int, count: int = SEEDED_ORDERS
) -> tuple[list[JsonDict], dict[int, list[JsonDict]]]:
    """`count` orders over the catalogue's published simple products, and their notes."""
    rng = random.Random(f"orders-{seed}")
    products = [
        p for p in catalog.products if p["status"] == "publish" and p["type"] == "simple"
    ] or [p for p in catalog.products if p["status"] == "publish"]
    orders: list[JsonDict] = []
    notes: dict[int, list[JsonDict]] = {}
    note_id = 900
    for index in range(count):
        order_id = FIRST_ORDER_ID + index
        status = ORDER_STATUSES[index % len(ORDER_STATUSES)]
        created = ORDERS_EPOCH + timedelta(days=index, minutes=rng.randint(0, 600))
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        email = f"{first.lower()}.{last.lower()}{index + 1}@example.com"
        chosen = rng.sample(products, k=min(len(products), rng.randint(1, 3))) if products else []
        order = _order_shape(catalog, order_id, status, created, (first, last, email), chosen, rng)
        orders.append(order)
        order_notes = [_note(note_id, created + timedelta(minutes=5), "Payment received.", False)]
        note_id += 1
        if status == "completed":
            carrier, prefix = CARRIERS[index % len(CARRIERS)]
            tracking = f"{prefix}{rng.randint(10**9, 10**10 - 1)}"
            text = f"Your order has been shipped with {carrier}. Tracking number: {tracking}."
            order_notes.append(_note(note_id, created + timedelta(days=1), text, True))
            note_id += 1
        notes[order_id] = list(reversed(order_notes))  # newest first, as WooCommerce lists them
    return orders, notes


def _order_shape(
    catalog: Catalog,
    order_id: int,
    status: str,
    created: datetime,
    person: tuple[str, str, str],
    products: list[JsonDict],
    rng: random.Random,
) -> JsonDict:
    settings = catalog.settings
    first, last, email = person
    line_items = _line_items(order_id, products, rng)
    total = sum((Decimal(item["total"]) for item in line_items), Decimal("0"))
    shipped = status in ("completed", "refunded")
    address = _address(first, last, rng)
    return {
        "id": order_id,
        "parent_id": 0,
        "status": status,
        "currency": settings.currency,
        "version": settings.wc_version,
        "prices_include_tax": False,
        **date_pair("date_created", created, settings),
        **date_pair("date_modified", created + timedelta(days=1), settings),
        "discount_total": "0.00",
        "discount_tax": "0.00",
        "shipping_total": "0.00",
        "shipping_tax": "0.00",
        "cart_tax": "0.00",
        "total": f"{total:.2f}",
        "total_tax": "0.00",
        "customer_id": 0,
        "order_key": f"wc_order_{rng.getrandbits(48):012x}",
        "billing": {**address, "email": email, "phone": f"555-01{order_id % 100:02d}"},
        "shipping": {**address, "phone": ""},
        "payment_method": "stripe",
        "payment_method_title": "Credit card",
        "transaction_id": "",
        "customer_ip_address": "",
        "customer_user_agent": "",
        "created_via": "checkout",
        "customer_note": "",
        **date_pair("date_completed", created + timedelta(days=1) if shipped else None, settings),
        **date_pair("date_paid", created if status != "pending" else None, settings),
        "cart_hash": "",
        "number": str(order_id),
        "meta_data": [],
        "line_items": line_items,
        "tax_lines": [],
        "shipping_lines": [],
        "fee_lines": [],
        "coupon_lines": [],
        "refunds": [],
        "payment_url": f"{catalog.site_url}/checkout/order-pay/{order_id}/",
        "is_editable": status in ("pending", "on-hold"),
        "needs_payment": status == "pending",
        "needs_processing": True,
        "currency_symbol": settings.currency_symbol,
        "_links": {
            "self": [{"href": f"{catalog.site_url}/wp-json/wc/v3/orders/{order_id}"}],
            "collection": [{"href": f"{catalog.site_url}/wp-json/wc/v3/orders"}],
        },
    }


def _line_items(order_id: int, products: list[JsonDict], rng: random.Random) -> list[JsonDict]:
    items = []
    for line, product in enumerate(products, start=1):
        quantity = rng.randint(1, 2)
        price = Decimal(product["price"] or "0")
        items.append(
            {
                "id": order_id * 10 + line,
                "name": product["name"],
                "product_id": product["id"],
                "variation_id": 0,
                "quantity": quantity,
                "tax_class": "",
                "subtotal": f"{price * quantity:.2f}",
                "subtotal_tax": "0.00",
                "total": f"{price * quantity:.2f}",
                "total_tax": "0.00",
                "taxes": [],
                "meta_data": [],
                "sku": product.get("sku", ""),
                "price": float(price),
                "image": {"id": "", "src": ""},
                "parent_name": None,
            }
        )
    return items


def _address(first: str, last: str, rng: random.Random) -> JsonDict:
    return {
        "first_name": first,
        "last_name": last,
        "company": "",
        "address_1": f"{rng.randint(1, 200)} Market Street",
        "address_2": "",
        "city": "Portland",
        "state": "OR",
        "postcode": "97201",
        "country": "US",
    }


def _note(note_id: int, when: datetime, text: str, customer_note: bool) -> JsonDict:
    return {
        "id": note_id,
        "author": "WooCommerce" if not customer_note else "system",
        "date_created": when.isoformat(),
        "date_created_gmt": when.isoformat(),
        "note": text,
        "customer_note": customer_note,
    }
