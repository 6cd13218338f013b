"""A faithful fake of Stripe's v1 API (customers, prices, Checkout and portal sessions,
subscriptions, invoices, events) for the real `stripe` library, with scripted scenarios,
signed webhook deliveries, idempotency and injectable faults. See `server.py`."""

from emulators.stripe.server import DEFAULT_WEBHOOK_SECRET, FakeStripe
from emulators.stripe.webhooks import event_body, sign_payload
from emulators.stripe.wire import (
    DEFAULT_API_KEY,
    DEFAULT_API_VERSION,
    Fault,
    RecordedRequest,
    parse_stripe_form,
)

__all__ = [
    "DEFAULT_API_KEY",
    "DEFAULT_API_VERSION",
    "DEFAULT_WEBHOOK_SECRET",
    "Fault",
    "FakeStripe",
    "RecordedRequest",
    "event_body",
    "parse_stripe_form",
    "sign_payload",
]
