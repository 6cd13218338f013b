"""The test-control side of the fake: what happens on Stripe's side without an API call
from the platform (a customer paying in Checkout, a renewal, a failed charge, dunning
giving up), each queuing the events Stripe would send.

These are Python methods, not HTTP: a test scripts the scenario, then delivers the events
it produced to the webhook endpoint under test (`FakeStripe.deliver`).
"""

from __future__ import annotations

import copy
from typing import Any

from emulators.stripe import objects
from emulators.stripe.state import AUTOMATIC, SUBSCRIPTION_STATUSES, StripeState


class StripeScenarios(StripeState):
    def complete_checkout(self, session_id: str) -> dict[str, Any]:
        """The customer pays in Checkout: the subscription (active, or trialing with
        `subscription_data[trial_period_days]`) and its paid first invoice are made, and
        `checkout.session.completed`, `customer.subscription.created` and `invoice.paid`
        are queued in that order. Returns the subscription."""
        with self.lock:
            session = self.checkout_sessions.get(session_id)
            if session is None:
                raise KeyError(f"no checkout session {session_id}")
            if session["status"] != "open" or session["mode"] != "subscription":
                raise ValueError(f"{session_id} is {session['status']} in {session['mode']} mode")
            extras = self.checkout_extras[session_id]
            if not session["customer"]:
                # Checkout makes a customer when the session named none.
                made = objects.customer({"email": session["customer_email"]}, {})
                self.customers[made["id"]] = made
                session["customer"] = made["id"]
            trial_days = extras["trial_period_days"]
            sub = objects.subscription(
                session["customer"],
                extras["line_items"],
                dict(extras["subscription_metadata"]),
                status="trialing" if trial_days else "active",
            )
            if trial_days:
                sub["trial_start"] = sub["current_period_start"]
                sub["trial_end"] = sub["current_period_start"] + int(trial_days) * 86400
            self.subscriptions[sub["id"]] = sub
            invoice = self.add_invoice(sub, "subscription_create", paid=True)
            session.update(status="complete", payment_status="paid", subscription=sub["id"])
            self.emit("checkout.session.completed", session, AUTOMATIC)
            self.emit("customer.subscription.created", sub, AUTOMATIC)
            self.emit("invoice.paid", invoice, AUTOMATIC)
            return copy.deepcopy(sub)

    def set_subscription(
        self,
        sub_id: str,
        *,
        status: str | None = None,
        price: str | None = None,
        quantity: int | None = None,
        current_period_start: int | None = None,
        current_period_end: int | None = None,
        cancel_at_period_end: bool | None = None,
        metadata: dict[str, str] | None = None,
    ) -> dict[str, Any]:
        """Change a subscription as Stripe's side would (the dashboard, a plan change in the
        portal, a clock moving on) and queue `customer.subscription.updated` with
        `data.previous_attributes` holding the old values of what changed. `price` and
        `quantity` apply to the first item; period bounds apply to the subscription and
        every item. Returns the event."""
        with self.lock:
            sub = self.subscription(sub_id)
            before = copy.deepcopy(sub)
            if status is not None:
                if status not in SUBSCRIPTION_STATUSES:
                    raise ValueError(f"unknown subscription status {status!r}")
                sub["status"] = status
                if status == "canceled" and sub["canceled_at"] is None:
                    sub["canceled_at"] = sub["ended_at"] = objects.now()
            first = sub["items"]["data"][0]
            if price is not None:
                first["price"] = copy.deepcopy(self.price(price))
            if quantity is not None:
                first["quantity"] = quantity
            for field, value in (
                ("current_period_start", current_period_start),
                ("current_period_end", current_period_end),
            ):
                if value is not None:
                    sub[field] = value
                    for item in sub["items"]["data"]:
                        item[field] = value
            if cancel_at_period_end is not None:
                sub["cancel_at_period_end"] = cancel_at_period_end
            if sub["cancel_at_period_end"]:
                sub["cancel_at"] = sub["current_period_end"]
            elif cancel_at_period_end is not None:
                sub["cancel_at"] = None
            if metadata is not None:
                sub["metadata"] = dict(metadata)
            changed = {k: v for k, v in before.items() if sub[k] != v}
            return self.emit("customer.subscription.updated", sub, AUTOMATIC, changed)

    def renew_subscription(self, sub_id: str) -> dict[str, Any]:
        """A period ends and the renewal is paid: the period moves on by 30 days, a paid
        `subscription_cycle` invoice is made; queues `customer.subscription.updated`
        (with the old period) and `invoice.paid`. Returns the `invoice.paid` event."""
        with self.lock:
            sub = self.subscription(sub_id)
            end = sub["current_period_end"]
            self.set_subscription(
                sub_id, current_period_start=end, current_period_end=end + objects.PERIOD_S
            )
            invoice = self.add_invoice(sub, "subscription_cycle", paid=True)
            return self.emit("invoice.paid", invoice, AUTOMATIC)

    def fail_payment(self, sub_id: str) -> dict[str, Any]:
        """A renewal charge fails: an open invoice, the subscription past_due; queues
        `invoice.payment_failed` then `customer.subscription.updated`. Returns the first."""
        with self.lock:
            sub = self.subscription(sub_id)
            invoice = self.add_invoice(sub, "subscription_cycle", paid=False)
            failed = self.emit("invoice.payment_failed", invoice, AUTOMATIC)
            previous = {"status": sub["status"], "latest_invoice": sub["latest_invoice"]}
            sub["status"] = "past_due"
            self.emit("customer.subscription.updated", sub, AUTOMATIC, previous)
            return failed

    def pay_invoice(self, invoice_or_sub_id: str) -> dict[str, Any]:
        """An open invoice (given, or the subscription's latest) gets paid: the invoice is
        paid and a past_due/unpaid subscription active again; queues `invoice.paid` (and
        `customer.subscription.updated` when the status changed). Returns `invoice.paid`."""
        with self.lock:
            if invoice_or_sub_id.startswith("sub_"):
                latest = self.subscription(invoice_or_sub_id)["latest_invoice"]
                if latest is None:
                    raise ValueError(f"{invoice_or_sub_id} has no invoice")
                invoice_or_sub_id = latest
            invoice = self.invoice(invoice_or_sub_id)
            if invoice["status"] != "open":
                raise ValueError(f"{invoice['id']} is {invoice['status']}, not open")
            stamp = objects.now()
            invoice.update(
                status="paid",
                amount_paid=invoice["amount_due"],
                amount_remaining=0,
                attempt_count=invoice["attempt_count"] + 1,
            )
            invoice["status_transitions"]["paid_at"] = stamp
            paid = self.emit("invoice.paid", invoice, AUTOMATIC)
            sub_id = invoice["parent"]["subscription_details"]["subscription"]
            sub = self.subscriptions.get(sub_id)
            if sub is not None and sub["status"] in ("past_due", "unpaid", "incomplete"):
                previous = {"status": sub["status"]}
                sub["status"] = "active"
                self.emit("customer.subscription.updated", sub, AUTOMATIC, previous)
            return paid

    def delete_subscription(self, sub_id: str) -> dict[str, Any]:
        """The subscription ends on Stripe's side (dunning gave up, the period ended with
        `cancel_at_period_end`, or the dashboard): canceled; queues
        `customer.subscription.deleted`. Returns the event."""
        with self.lock:
            self.cancel_subscription(sub_id, AUTOMATIC)
            return copy.deepcopy(self.events[-1])

    def events_of(self, type_: str) -> list[dict[str, Any]]:
        with self.lock:
            return [copy.deepcopy(e) for e in self.events if e["type"] == type_]
