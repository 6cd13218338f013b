"""Stripe, through the real `stripe` library: the only module that talks to it.

Every call is async (`*_async` over the library's `HTTPXClient`), so a slow Stripe never
blocks the event loop. Every failure of Stripe's (unreachable, 5xx, rate limited, a key it
refuses) becomes one `BillingUnavailable` (503): the merchant can try again, and a webhook
that could not fetch what it needed is answered 503 so Stripe delivers it again. Objects
come back as plain dicts (`to_dict()`), so the rest of the billing code reads wire fields
and never depends on the library's object classes.

Secrets stay here: the API key is handed to the client and never logged; Stripe's own
error messages are logged (they name ids and parameters, not keys).
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from typing import Any

import stripe
from pydantic import SecretStr

from core.ids import TenantId
from core.settings import Settings
from dashboard_api.billing.errors import BillingUnavailable, InvalidSignature

log = logging.getLogger(__name__)

# Stripe's own window: a delivery signed longer ago than this is refused as a replay.
SIGNATURE_TOLERANCE_S = 300


@dataclass(frozen=True)
class StripeConfig:
    secret_key: SecretStr
    webhook_secret: SecretStr | None
    api_base: str | None = None  # None: api.stripe.com
    max_network_retries: int = 2
    timeout_s: float = 20.0

    @classmethod
    def from_settings(cls, settings: Settings) -> StripeConfig | None:
        """None when Stripe is not configured (the app then runs without billing)."""
        if settings.stripe_secret_key is None:
            return None
        return cls(
            secret_key=settings.stripe_secret_key,
            webhook_secret=settings.stripe_webhook_secret,
            api_base=settings.stripe_api_base,
        )


def _plain(obj: Any) -> dict[str, Any]:
    return obj.to_dict() if hasattr(obj, "to_dict") else dict(obj)


def _unavailable(operation: str, error: stripe.StripeError) -> BillingUnavailable:
    # The class and Stripe's message (ids, parameters) help an operator; never the key.
    log.warning(
        "stripe %s failed: %s: %s", operation, type(error).__name__, error.user_message or error
    )
    return BillingUnavailable()


class StripeGateway:
    def __init__(self, config: StripeConfig) -> None:
        self.config = config
        self._client = stripe.StripeClient(
            config.secret_key.get_secret_value(),
            base_addresses={"api": config.api_base or stripe.DEFAULT_API_BASE},
            http_client=stripe.HTTPXClient(timeout=config.timeout_s),
            max_network_retries=config.max_network_retries,
        )

    # --- webhooks -----------------------------------------------------------------------
    def verified_event(self, payload: bytes, signature: str | None) -> dict[str, Any]:
        """The event in `payload` if `Stripe-Signature` signs exactly these bytes within the
        tolerance window; `InvalidSignature` (400) otherwise, whatever the reason."""
        secret = self.config.webhook_secret
        if secret is None:
            raise BillingUnavailable("Stripe webhooks are not configured (no signing secret).")
        if not signature:
            raise InvalidSignature("The Stripe-Signature header is missing.")
        try:
            stripe.Webhook.construct_event(
                payload, signature, secret.get_secret_value(), tolerance=SIGNATURE_TOLERANCE_S
            )
            # The event as sent (JSON types only), not the library's object: it is stored.
            event = json.loads(payload)
        except stripe.SignatureVerificationError:
            raise InvalidSignature() from None
        except ValueError:  # not JSON (checked after the signature, which covers the bytes)
            raise InvalidSignature("The body is not a Stripe event.") from None
        if not isinstance(event, dict) or not event.get("id") or not event.get("type"):
            raise InvalidSignature("The body is not a Stripe event.")
        return event

    # --- customers and sessions --------------------------------------------------------
    async def create_customer(
        self, tenant_id: TenantId, *, name: str | None, email: str | None
    ) -> str:
        """One customer per tenant: the idempotency key is derived from the tenant, so a
        retried or concurrent first checkout gets the same customer back from Stripe."""
        params: dict[str, Any] = {"metadata": {"tenant_id": str(tenant_id)}}
        if name:
            params["name"] = name
        if email:
            params["email"] = email
        try:
            customer = await self._client.v1.customers.create_async(
                params=params,  # type: ignore[arg-type]  # plain dict for the TypedDict params
                options={"idempotency_key": f"shopbot-customer-{tenant_id}"},
            )
        except stripe.StripeError as error:
            raise _unavailable("customer create", error) from None
        return str(customer.id)

    async def create_checkout_session(self, params: dict[str, Any]) -> str:
        try:
            session = await self._client.v1.checkout.sessions.create_async(
                params=params  # type: ignore[arg-type]  # plain dict for the TypedDict params
            )
        except stripe.StripeError as error:
            raise _unavailable("checkout session create", error) from None
        return str(session.url)

    async def create_portal_session(self, params: dict[str, Any]) -> str:
        try:
            session = await self._client.v1.billing_portal.sessions.create_async(
                params=params  # type: ignore[arg-type]  # plain dict for the TypedDict params
            )
        except stripe.StripeError as error:
            raise _unavailable("portal session create", error) from None
        return str(session.url)

    async def cancel_subscription(self, subscription_id: str) -> None:
        """Cancels at once (`DELETE /v1/subscriptions/{id}`): the business is being erased."""
        try:
            await self._client.v1.subscriptions.cancel_async(subscription_id)
        except stripe.StripeError as error:
            raise _unavailable("subscription cancel", error) from None

    # --- reads --------------------------------------------------------------------------
    async def subscription(self, subscription_id: str) -> dict[str, Any] | None:
        """The subscription as Stripe holds it now; None when Stripe has no such object."""
        try:
            found = await self._client.v1.subscriptions.retrieve_async(subscription_id)
        except stripe.InvalidRequestError as error:
            if error.http_status == 404:
                return None
            raise _unavailable("subscription retrieve", error) from None
        except stripe.StripeError as error:
            raise _unavailable("subscription retrieve", error) from None
        return _plain(found)

    async def invoices(
        self, customer_id: str, *, limit: int, starting_after: str | None
    ) -> tuple[list[dict[str, Any]], bool]:
        """One page of the customer's invoices, newest first, and whether more follow."""
        params: dict[str, Any] = {"customer": customer_id, "limit": limit}
        if starting_after:
            params["starting_after"] = starting_after
        try:
            page = await self._client.v1.invoices.list_async(
                params=params  # type: ignore[arg-type]  # plain dict for the TypedDict params
            )
        except stripe.InvalidRequestError as error:
            if error.http_status == 404 and starting_after:
                return [], False  # the cursor names an invoice that is not (or no longer) there
            raise _unavailable("invoice list", error) from None
        except stripe.StripeError as error:
            raise _unavailable("invoice list", error) from None
        return [_plain(invoice) for invoice in page.data], bool(page.has_more)

    async def past_due_customers(self) -> list[str]:
        """The customers of every past-due subscription (Stripe is the index of them: the
        grace-period sweep needs no table scan across tenants)."""
        customers: list[str] = []
        try:
            page = await self._client.v1.subscriptions.list_async(
                params={"status": "past_due", "limit": 100}
            )
            async for subscription in page.auto_paging_iter():
                customers.append(str(subscription.customer))
        except stripe.StripeError as error:
            raise _unavailable("subscription list", error) from None
        return customers
