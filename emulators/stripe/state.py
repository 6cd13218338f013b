"""What the fake Stripe account holds, and the v1 operations on customers, prices,
subscriptions and invoices (checkout and portal sessions are in `sessions.py`).

Every operation runs under `lock`: the server answers on its own thread while a test
scripts scenarios from another. Objects are stored as plain dicts in their wire shape;
readers get copies, so a caller can never change what the fake holds.
"""

from __future__ import annotations

import copy
import threading
from dataclasses import dataclass
from typing import Any

from emulators.stripe import objects
from emulators.stripe.wire import (
    DEFAULT_API_KEY,
    DEFAULT_API_VERSION,
    Fault,
    RecordedRequest,
    StripeError,
    as_bool,
    as_int,
    as_list,
    list_object,
    merged_metadata,
    new_id,
    parameter_missing,
    resource_missing,
)

SUBSCRIPTION_STATUSES = (
    "active",
    "trialing",
    "past_due",
    "unpaid",
    "canceled",
    "incomplete",
    "incomplete_expired",
    "paused",
)


@dataclass(frozen=True)
class Origin:
    """The API request an event came from (Stripe's `event.request`); None when the change
    happened on Stripe's side (a payment, a renewal, the customer in Checkout)."""

    request_id: str | None = None
    idempotency_key: str | None = None


AUTOMATIC = Origin()


class StripeState:
    def __init__(
        self, *, api_key: str = DEFAULT_API_KEY, api_version: str = DEFAULT_API_VERSION
    ) -> None:
        self.api_key = api_key
        self.api_version = api_version
        self.lock = threading.RLock()
        self._clear()

    def _clear(self) -> None:
        self.customers: dict[str, dict[str, Any]] = {}
        self.prices: dict[str, dict[str, Any]] = {}
        self.checkout_sessions: dict[str, dict[str, Any]] = {}
        self.checkout_extras: dict[str, dict[str, Any]] = {}
        self.portal_sessions: dict[str, dict[str, Any]] = {}
        self.subscriptions: dict[str, dict[str, Any]] = {}
        self.invoices: dict[str, dict[str, Any]] = {}
        self.events: list[dict[str, Any]] = []
        self.requests: list[RecordedRequest] = []
        self.faults: list[Fault] = []
        # (api key, Idempotency-Key) → (method, path, params, status, body, request id)
        self.idempotent: dict[tuple[str, str], tuple[str, str, dict[str, Any], int, Any, str]] = {}

    def reset(self) -> None:
        """Forget every object, event, request, fault and idempotency key (the keys stay)."""
        with self.lock:
            self._clear()

    # --- events ----------------------------------------------------------------------
    def emit(
        self,
        type_: str,
        obj: dict[str, Any],
        origin: Origin,
        previous_attributes: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        event = objects.event(
            type_,
            obj,
            self.api_version,
            previous_attributes=previous_attributes,
            request_id=origin.request_id,
            idempotency_key=origin.idempotency_key,
        )
        self.events.append(event)
        return copy.deepcopy(event)

    # --- lookups ---------------------------------------------------------------------
    @staticmethod
    def _found(table: dict[str, dict[str, Any]], kind: str, key: str, param: str) -> dict[str, Any]:
        found = table.get(key)
        if found is None:
            raise resource_missing(kind, key, param)
        return found

    def customer(self, customer_id: str, param: str = "id") -> dict[str, Any]:
        return self._found(self.customers, "customer", customer_id, param)

    def price(self, price_id: str, param: str = "id") -> dict[str, Any]:
        return self._found(self.prices, "price", price_id, param)

    def subscription(self, sub_id: str, param: str = "id") -> dict[str, Any]:
        return self._found(self.subscriptions, "subscription", sub_id, param)

    def invoice(self, invoice_id: str, param: str = "id") -> dict[str, Any]:
        return self._found(self.invoices, "invoice", invoice_id, param)

    @staticmethod
    def newest_first(items: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
        # Insertion order breaks ties between objects created in the same second.
        ordered = list(items.values())
        return [
            ordered[i]
            for i in sorted(range(len(ordered)), key=lambda i: (-ordered[i]["created"], -i))
        ]

    # --- customers -------------------------------------------------------------------
    def create_customer(self, params: dict[str, Any], origin: Origin) -> dict[str, Any]:
        created = objects.customer(params, merged_metadata({}, params.get("metadata", {})))
        self.customers[created["id"]] = created
        self.emit("customer.created", created, origin)
        return created

    def update_customer(
        self, customer_id: str, params: dict[str, Any], origin: Origin
    ) -> dict[str, Any]:
        found = self.customer(customer_id)
        before = copy.deepcopy(found)
        for field in ("email", "name", "description", "phone"):
            if field in params:
                found[field] = params[field] or None
        if "metadata" in params:
            found["metadata"] = merged_metadata(found["metadata"], params["metadata"])
        changed = {k: v for k, v in before.items() if found[k] != v}
        if changed:
            self.emit("customer.updated", found, origin, changed)
        return found

    # --- prices ----------------------------------------------------------------------
    def create_price(self, params: dict[str, Any], origin: Origin) -> dict[str, Any]:
        if not params.get("currency"):
            raise parameter_missing("currency")
        product_id = params.get("product")
        if not product_id:
            product_data = params.get("product_data")
            if not isinstance(product_data, dict) or not product_data.get("name"):
                raise StripeError(
                    400,
                    "You must specify either `product` or `product_data` when creating a price.",
                    param="product",
                )
            product_id = new_id("prod_", 14)
        unit_amount = (
            as_int(params["unit_amount"], "unit_amount") if "unit_amount" in params else None
        )
        if unit_amount is None and params.get("custom_unit_amount") is None:
            raise parameter_missing("unit_amount")
        lookup_key = params.get("lookup_key")
        if lookup_key:
            holder = next((p for p in self.prices.values() if p["lookup_key"] == lookup_key), None)
            if holder is not None and not as_bool(
                params.get("transfer_lookup_key", "false"), "transfer_lookup_key"
            ):
                raise StripeError(
                    400,
                    f"A price (`{holder['id']}`) already uses that lookup key.",
                    param="lookup_key",
                )
            if holder is not None:
                holder["lookup_key"] = None
        recurring = params.get("recurring")
        if recurring is not None and (
            not isinstance(recurring, dict)
            or recurring.get("interval") not in ("day", "week", "month", "year")
        ):
            raise StripeError(400, "Invalid recurring[interval]", param="recurring[interval]")
        created = objects.price(
            params, str(product_id), unit_amount, merged_metadata({}, params.get("metadata", {}))
        )
        self.prices[created["id"]] = created
        self.emit("price.created", created, origin)
        return created

    def list_prices(self, params: dict[str, Any], url: str) -> dict[str, Any]:
        prices = self.newest_first(self.prices)
        lookup_keys = as_list(params.get("lookup_keys"))
        if lookup_keys:
            prices = [p for p in prices if p["lookup_key"] in lookup_keys]
        if "active" in params:
            active = as_bool(params["active"], "active")
            prices = [p for p in prices if p["active"] == active]
        return list_object(prices, params, url)

    # --- subscriptions ---------------------------------------------------------------
    def list_subscriptions(self, params: dict[str, Any], url: str) -> dict[str, Any]:
        subs = self.newest_first(self.subscriptions)
        if params.get("customer"):
            subs = [s for s in subs if s["customer"] == params["customer"]]
        if params.get("price"):
            subs = [
                s
                for s in subs
                if any(i["price"]["id"] == params["price"] for i in s["items"]["data"])
            ]
        status = params.get("status")
        if status and status != "all":
            subs = [s for s in subs if s["status"] == status]
        elif not status:  # Stripe's default list leaves canceled subscriptions out
            subs = [s for s in subs if s["status"] != "canceled"]
        return list_object(subs, params, url)

    def update_subscription(
        self, sub_id: str, params: dict[str, Any], origin: Origin
    ) -> dict[str, Any]:
        sub = self.subscription(sub_id)
        if sub["status"] in ("canceled", "incomplete_expired"):
            raise StripeError(
                400,
                "A canceled subscription can only update its cancellation_details and metadata.",
            )
        before = copy.deepcopy(sub)
        for index, change in enumerate(as_list(params.get("items"))):
            self._apply_item_change(sub, change, f"items[{index}]")
        if "proration_behavior" in params and params["proration_behavior"] not in (
            "create_prorations",
            "none",
            "always_invoice",
        ):
            raise StripeError(400, "Invalid proration_behavior", param="proration_behavior")
        if "cancel_at_period_end" in params:
            at_end = as_bool(params["cancel_at_period_end"], "cancel_at_period_end")
            sub["cancel_at_period_end"] = at_end
            sub["cancel_at"] = sub["current_period_end"] if at_end else None
        if "metadata" in params:
            sub["metadata"] = merged_metadata(sub["metadata"], params["metadata"])
        changed = {k: v for k, v in before.items() if sub[k] != v}
        if changed:
            self.emit("customer.subscription.updated", sub, origin, changed)
        return sub

    def _apply_item_change(self, sub: dict[str, Any], change: Any, param: str) -> None:
        if not isinstance(change, dict):
            raise StripeError(400, f"Invalid {param}: must be a hash", param=param)
        items = sub["items"]["data"]
        if change.get("id"):
            item = next((i for i in items if i["id"] == change["id"]), None)
            if item is None:
                raise resource_missing("subscription_item", str(change["id"]), f"{param}[id]")
            if as_bool(change.get("deleted", "false"), f"{param}[deleted]"):
                items.remove(item)
                sub["items"]["total_count"] = len(items)
                return
        else:
            if not change.get("price"):
                raise parameter_missing(f"{param}[price]")
            item = objects.subscription_item(
                sub["id"],
                self.price(str(change["price"]), f"{param}[price]"),
                1,
                sub["current_period_start"],
                sub["current_period_end"],
            )
            items.append(item)
            sub["items"]["total_count"] = len(items)
        if change.get("price"):
            item["price"] = copy.deepcopy(self.price(str(change["price"]), f"{param}[price]"))
        if "quantity" in change:
            item["quantity"] = as_int(change["quantity"], f"{param}[quantity]")

    def cancel_subscription(self, sub_id: str, origin: Origin) -> dict[str, Any]:
        sub = self.subscription(sub_id)
        if sub["status"] == "canceled":
            raise StripeError(
                400,
                f"A canceled subscription can't be canceled again: {sub_id}",
            )
        stamp = objects.now()
        sub.update(status="canceled", canceled_at=stamp, ended_at=stamp, cancel_at=None)
        sub["cancel_at_period_end"] = False
        sub["cancellation_details"]["reason"] = "cancellation_requested"
        self.emit("customer.subscription.deleted", sub, origin)
        return sub

    # --- invoices --------------------------------------------------------------------
    def list_invoices(self, params: dict[str, Any], url: str) -> dict[str, Any]:
        invoices = self.newest_first(self.invoices)
        if params.get("customer"):
            invoices = [i for i in invoices if i["customer"] == params["customer"]]
        if params.get("subscription"):
            invoices = [
                i
                for i in invoices
                if i["parent"]["subscription_details"]["subscription"] == params["subscription"]
            ]
        if params.get("status"):
            invoices = [i for i in invoices if i["status"] == params["status"]]
        return list_object(invoices, params, url)

    def add_invoice(
        self, sub: dict[str, Any], billing_reason: str, *, paid: bool
    ) -> dict[str, Any]:
        created = objects.invoice(sub, billing_reason, paid=paid)
        self.invoices[created["id"]] = created
        sub["latest_invoice"] = created["id"]
        return created
