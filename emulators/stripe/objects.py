"""Builders for the Stripe objects the fake stores, in the shape of the current API version.

Shape notes that matter to callers: `current_period_start`/`current_period_end` live on each
subscription item since API version 2025-03-31.basil; the fake also keeps them on the
subscription (older versions, and what most code still reads). An invoice names its
subscription under `parent.subscription_details.subscription` (basil moved it there from
`invoice.subscription`). Amounts are integers in the currency's smallest unit; times are
unix seconds.
"""

from __future__ import annotations

import copy
import time
from typing import Any

from emulators.stripe.wire import new_id

PERIOD_S = 30 * 24 * 3600


def now() -> int:
    return int(time.time())


def customer(params: dict[str, Any], metadata: dict[str, str]) -> dict[str, Any]:
    return {
        "id": new_id("cus_", 14),
        "object": "customer",
        "address": None,
        "balance": 0,
        "created": now(),
        "currency": None,
        "default_source": None,
        "delinquent": False,
        "description": params.get("description"),
        "email": params.get("email"),
        "invoice_prefix": new_id("", 8).upper(),
        "invoice_settings": {"default_payment_method": None, "footer": None},
        "livemode": False,
        "metadata": metadata,
        "name": params.get("name"),
        "phone": params.get("phone"),
        "preferred_locales": [],
        "tax_exempt": "none",
    }


def price(
    params: dict[str, Any], product_id: str, unit_amount: int | None, metadata: dict[str, str]
) -> dict[str, Any]:
    recurring = params.get("recurring")
    return {
        "id": new_id("price_"),
        "object": "price",
        "active": params.get("active", "true") != "false",
        "billing_scheme": "per_unit",
        "created": now(),
        "currency": str(params["currency"]).lower(),
        "livemode": False,
        "lookup_key": params.get("lookup_key") or None,
        "metadata": metadata,
        "nickname": params.get("nickname"),
        "product": product_id,
        "recurring": (
            {
                "interval": recurring["interval"],
                "interval_count": int(recurring.get("interval_count", 1)),
                "meter": None,
                "trial_period_days": None,
                "usage_type": recurring.get("usage_type", "licensed"),
            }
            if isinstance(recurring, dict)
            else None
        ),
        "tax_behavior": params.get("tax_behavior", "unspecified"),
        "type": "recurring" if isinstance(recurring, dict) else "one_time",
        "unit_amount": unit_amount,
        "unit_amount_decimal": None if unit_amount is None else str(unit_amount),
    }


def subscription_item(
    subscription_id: str, price_obj: dict[str, Any], quantity: int, start: int, end: int
) -> dict[str, Any]:
    return {
        "id": new_id("si_", 14),
        "object": "subscription_item",
        "created": start,
        "current_period_start": start,
        "current_period_end": end,
        "discounts": [],
        "metadata": {},
        "price": copy.deepcopy(price_obj),
        "quantity": quantity,
        "subscription": subscription_id,
        "tax_rates": [],
    }


def subscription(
    customer_id: str,
    prices: list[tuple[dict[str, Any], int]],
    metadata: dict[str, str],
    status: str = "active",
) -> dict[str, Any]:
    sub_id, start = new_id("sub_"), now()
    end = start + PERIOD_S
    items = [subscription_item(sub_id, p, q, start, end) for p, q in prices]
    return {
        "id": sub_id,
        "object": "subscription",
        "billing_cycle_anchor": start,
        "cancel_at": None,
        "cancel_at_period_end": False,
        "canceled_at": None,
        "cancellation_details": {"comment": None, "feedback": None, "reason": None},
        "collection_method": "charge_automatically",
        "created": start,
        "currency": prices[0][0]["currency"] if prices else "usd",
        "current_period_start": start,
        "current_period_end": end,
        "customer": customer_id,
        "default_payment_method": None,
        "ended_at": None,
        "items": {
            "object": "list",
            "data": items,
            "has_more": False,
            "total_count": len(items),
            "url": f"/v1/subscription_items?subscription={sub_id}",
        },
        "latest_invoice": None,
        "livemode": False,
        "metadata": metadata,
        "pause_collection": None,
        "start_date": start,
        "status": status,
        "trial_end": None,
        "trial_start": None,
    }


def invoice(sub: dict[str, Any], billing_reason: str, *, paid: bool) -> dict[str, Any]:
    invoice_id, created = new_id("in_"), now()
    lines = [
        {
            "id": new_id("il_"),
            "object": "line_item",
            "amount": (item["price"]["unit_amount"] or 0) * item["quantity"],
            "currency": item["price"]["currency"],
            "description": f"{item['quantity']} × {item['price'].get('nickname') or 'plan'}",
            "invoice": invoice_id,
            "livemode": False,
            "metadata": {},
            "period": {"start": item["current_period_start"], "end": item["current_period_end"]},
            "pricing": {
                "type": "price_details",
                "price_details": {
                    "price": item["price"]["id"],
                    "product": item["price"]["product"],
                },
                "unit_amount_decimal": item["price"]["unit_amount_decimal"],
            },
            "quantity": item["quantity"],
        }
        for item in sub["items"]["data"]
    ]
    total = sum(line["amount"] for line in lines)
    return {
        "id": invoice_id,
        "object": "invoice",
        "amount_due": total,
        "amount_paid": total if paid else 0,
        "amount_remaining": 0 if paid else total,
        "attempt_count": 1,
        "attempted": True,
        "billing_reason": billing_reason,
        "collection_method": "charge_automatically",
        "created": created,
        "currency": sub["currency"],
        "customer": sub["customer"],
        "hosted_invoice_url": None,
        "lines": {
            "object": "list",
            "data": lines,
            "has_more": False,
            "total_count": len(lines),
            "url": f"/v1/invoices/{invoice_id}/lines",
        },
        "livemode": False,
        "metadata": {},
        "number": new_id("", 8).upper() + "-0001",
        "parent": {
            "type": "subscription_details",
            "quote_details": None,
            "subscription_details": {
                "metadata": dict(sub["metadata"]),
                "subscription": sub["id"],
            },
        },
        "period_start": sub["current_period_start"],
        "period_end": sub["current_period_end"],
        "status": "paid" if paid else "open",
        "status_transitions": {
            "finalized_at": created,
            "marked_uncollectible_at": None,
            "paid_at": created if paid else None,
            "voided_at": None,
        },
        "subtotal": total,
        "total": total,
    }


def event(
    type_: str,
    obj: dict[str, Any],
    api_version: str,
    *,
    previous_attributes: dict[str, Any] | None = None,
    request_id: str | None = None,
    idempotency_key: str | None = None,
) -> dict[str, Any]:
    """A snapshot event: `data.object` is a copy of the object as it is now, so later
    changes to the object do not reach events already made."""
    data: dict[str, Any] = {"object": copy.deepcopy(obj)}
    if previous_attributes is not None:
        data["previous_attributes"] = copy.deepcopy(previous_attributes)
    return {
        "id": new_id("evt_"),
        "object": "event",
        "api_version": api_version,
        "created": now(),
        "data": data,
        "livemode": False,
        "pending_webhooks": 1,
        "request": {"id": request_id, "idempotency_key": idempotency_key},
        "type": type_,
    }
