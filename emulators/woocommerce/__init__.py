"""A faithful fake WooCommerce store (wc/v3) served over real HTTP on 127.0.0.1.

See `store.py` for how to run it and the HTTPS/Basic-auth decision, `faults.py` for the
injectable failures, `webhooks.py` for signed webhook deliveries and `order_book.py` /
`orders.py` for the seeded orders and their routes.
"""

from emulators.woocommerce.faults import Fault, FaultPlan
from emulators.woocommerce.state import (
    DEFAULT_CONSUMER_KEY,
    DEFAULT_CONSUMER_SECRET,
    RecordedRequest,
)
from emulators.woocommerce.store import FakeWooStore
from emulators.woocommerce.webhooks import (
    WebhookDelivery,
    build_webhook_delivery,
    build_webhook_ping,
    sign_webhook_body,
)

__all__ = [
    "DEFAULT_CONSUMER_KEY",
    "DEFAULT_CONSUMER_SECRET",
    "FakeWooStore",
    "Fault",
    "FaultPlan",
    "RecordedRequest",
    "WebhookDelivery",
    "build_webhook_delivery",
    "build_webhook_ping",
    "sign_webhook_body",
]
