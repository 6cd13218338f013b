"""Checkout Sessions and Customer Portal Sessions: created over the API, each with a `url`
on the fake's own host where a browser (or a test) finishes the flow.

A Checkout Session in `mode=subscription` needs recurring prices in `line_items` and a
`success_url`; completing it (`FakeStripe.complete_checkout`, or the button on its page)
makes the subscription. A portal session may carry `flow_data` of type
`subscription_update_confirm`, which names the subscription, its items and the new prices
the customer is asked to confirm.
"""

from __future__ import annotations

from typing import Any

from emulators.stripe import objects
from emulators.stripe.state import StripeState
from emulators.stripe.wire import (
    StripeError,
    as_int,
    as_list,
    merged_metadata,
    new_id,
    parameter_missing,
)

MODES = ("payment", "setup", "subscription")
FLOW_TYPES = (
    "payment_method_update",
    "subscription_cancel",
    "subscription_update",
    "subscription_update_confirm",
)


def create_checkout_session(
    state: StripeState, params: dict[str, Any], base_url: str
) -> dict[str, Any]:
    mode = params.get("mode")
    if not mode:
        raise parameter_missing("mode")
    if mode not in MODES:
        raise StripeError(400, f"Invalid mode: must be one of {', '.join(MODES)}", param="mode")
    if not params.get("success_url") and params.get("ui_mode", "hosted") == "hosted":
        raise parameter_missing("success_url")
    if params.get("customer"):
        state.customer(str(params["customer"]), "customer")
    line_items = _line_items(state, params, mode)
    session_id = new_id("cs_test_", 58)
    created = objects.now()
    amount = sum((price["unit_amount"] or 0) * qty for price, qty in line_items)
    session = {
        "id": session_id,
        "object": "checkout.session",
        "amount_subtotal": amount,
        "amount_total": amount,
        "cancel_url": params.get("cancel_url"),
        "client_reference_id": params.get("client_reference_id"),
        "created": created,
        "currency": line_items[0][0]["currency"] if line_items else None,
        "customer": params.get("customer"),
        "customer_email": params.get("customer_email"),
        "expires_at": created + 24 * 3600,
        "livemode": False,
        "metadata": merged_metadata({}, params.get("metadata", {})),
        "mode": mode,
        "payment_status": "unpaid",
        "status": "open",
        "subscription": None,
        "success_url": params.get("success_url"),
        "ui_mode": params.get("ui_mode", "hosted"),
        "url": f"{base_url}/checkout/{session_id}",
    }
    subscription_data = params.get("subscription_data") or {}
    state.checkout_sessions[session_id] = session
    # Kept beside the session, not in it: Stripe shows them only through expansion.
    state.checkout_extras[session_id] = {
        "line_items": line_items,
        "subscription_metadata": merged_metadata({}, subscription_data.get("metadata", {})),
        "trial_period_days": subscription_data.get("trial_period_days"),
    }
    return session


def _line_items(
    state: StripeState, params: dict[str, Any], mode: str
) -> list[tuple[dict[str, Any], int]]:
    raw = as_list(params.get("line_items"))
    if not raw and mode != "setup":
        raise parameter_missing("line_items")
    found: list[tuple[dict[str, Any], int]] = []
    for index, item in enumerate(raw):
        param = f"line_items[{index}]"
        if not isinstance(item, dict) or not item.get("price"):
            raise parameter_missing(f"{param}[price]")
        price = state.price(str(item["price"]), f"{param}[price]")
        if mode == "subscription" and price["type"] != "recurring":
            raise StripeError(
                400,
                "You must specify at least one recurring price in `subscription` mode when "
                "using prices.",
                param=f"{param}[price]",
            )
        found.append((price, as_int(item.get("quantity", 1), f"{param}[quantity]")))
    return found


def checkout_line_items(state: StripeState, session_id: str) -> dict[str, Any]:
    """The session's `line_items` as Stripe expands them: a list of `item` objects."""
    data = [
        {
            "id": new_id("li_"),
            "object": "item",
            "amount_subtotal": (price["unit_amount"] or 0) * qty,
            "amount_total": (price["unit_amount"] or 0) * qty,
            "currency": price["currency"],
            "description": price.get("nickname") or "plan",
            "price": dict(price),
            "quantity": qty,
        }
        for price, qty in state.checkout_extras[session_id]["line_items"]
    ]
    return {
        "object": "list",
        "data": data,
        "has_more": False,
        "url": f"/v1/checkout/sessions/{session_id}/line_items",
    }


def create_portal_session(
    state: StripeState, params: dict[str, Any], base_url: str
) -> dict[str, Any]:
    if not params.get("customer"):
        raise parameter_missing("customer")
    customer_id = str(params["customer"])
    state.customer(customer_id, "customer")
    flow = _flow(state, customer_id, params.get("flow_data"))
    session_id = new_id("bps_")
    session = {
        "id": session_id,
        "object": "billing_portal.session",
        "configuration": "bpc_" + session_id[4:],
        "created": objects.now(),
        "customer": customer_id,
        "flow": flow,
        "livemode": False,
        "locale": params.get("locale"),
        "on_behalf_of": None,
        "return_url": params.get("return_url"),
        "url": f"{base_url}/billing_portal/{session_id}",
    }
    state.portal_sessions[session_id] = session
    return session


def _flow(state: StripeState, customer_id: str, flow_data: Any) -> dict[str, Any] | None:
    if flow_data in (None, ""):
        return None
    if not isinstance(flow_data, dict) or not flow_data.get("type"):
        raise parameter_missing("flow_data[type]")
    kind = flow_data["type"]
    if kind not in FLOW_TYPES:
        raise StripeError(400, f"Invalid flow_data[type]: {kind}", param="flow_data[type]")
    flow: dict[str, Any] = {
        "type": kind,
        "after_completion": flow_data.get("after_completion")
        or {"type": "portal_homepage", "hosted_confirmation": None, "redirect": None},
        "subscription_cancel": None,
        "subscription_update": None,
        "subscription_update_confirm": None,
    }
    if kind == "payment_method_update":
        return flow
    details = flow_data.get(kind)
    param = f"flow_data[{kind}]"
    if not isinstance(details, dict) or not details.get("subscription"):
        raise parameter_missing(f"{param}[subscription]")
    sub = state.subscription(str(details["subscription"]), f"{param}[subscription]")
    if sub["customer"] != customer_id:
        raise StripeError(
            400,
            f"The subscription {sub['id']} does not belong to the customer {customer_id}.",
            param=f"{param}[subscription]",
        )
    if kind != "subscription_update_confirm":
        flow[kind] = {"subscription": sub["id"]}
        return flow
    items = as_list(details.get("items"))
    if not items:
        raise parameter_missing(f"{param}[items]")
    known = {item["id"] for item in sub["items"]["data"]}
    confirmed = []
    for index, item in enumerate(items):
        item_param = f"{param}[items][{index}]"
        if not isinstance(item, dict) or not item.get("id"):
            raise parameter_missing(f"{item_param}[id]")
        if item["id"] not in known:
            raise StripeError(
                400,
                f"The subscription item {item['id']} does not belong to {sub['id']}.",
                param=f"{item_param}[id]",
            )
        if item.get("price"):
            state.price(str(item["price"]), f"{item_param}[price]")
        quantity = (
            as_int(item["quantity"], f"{item_param}[quantity]") if "quantity" in item else None
        )
        confirmed.append({"id": item["id"], "price": item.get("price"), "quantity": quantity})
    flow[kind] = {"subscription": sub["id"], "items": confirmed, "discounts": None}
    return flow
