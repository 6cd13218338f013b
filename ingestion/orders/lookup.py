"""One order from a store, given to a shopper only with its billing email.

`StoreOrders.find` reads the bot's store connection (one short transaction, then none is
held across the network), asks the store through the WooCommerce client (so through the
outbound guard, with the store's own keys) and returns the order only when the billing
email matches, compared case-insensitively in constant time. A missing order and a wrong
email both return None, after the same single request: neither the answer nor its timing
tells them apart. Customer notes are fetched only for a match (`type=customer`: the
store's internal notes never leave it).

A store that cannot answer (down, slow, throttling, keys revoked, no store connected)
raises `OrdersUnavailable`, logged with the error's type only: nothing of the order, the
number or the email is logged.

The engine's types are not imported here (ingestion may use only engine.embeddings and
engine.model_io): cli adapts `CustomerOrder` into engine.orders' `OrderFacts`.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
import re
import uuid
from dataclasses import dataclass
from typing import Any

import httpx

from core.crypto import SecretBox
from core.db.database import Database
from core.errors import AppError
from core.ids import TenantId
from core.outbound import OutboundPolicy
from ingestion.sync.service import load_store, store_credentials
from ingestion.woocommerce.client import WooClient
from ingestion.woocommerce.listing import JsonDict
from ingestion.woocommerce.retry import RetryPolicy

log = logging.getLogger(__name__)

# A shopper is waiting: one quick retry, and the whole look-up bounded.
LOOKUP_TIMEOUT_S = 8.0
LOOKUP_RETRY = RetryPolicy(max_attempts=2, base_delay_s=0.2, max_delay_s=1.0, max_retry_after_s=2)
MAX_NOTES = 5
_TAGS = re.compile(r"<[^>]+>")  # notes may carry links; the shopper is shown text


class OrdersUnavailable(Exception):
    """The store could not be asked; the shopper should try later or contact the store."""


@dataclass(frozen=True, slots=True)
class OrderLine:
    name: str
    quantity: int
    product_id: str | None = None  # the store's product id (of the parent, for a variation)


@dataclass(frozen=True, slots=True)
class CustomerOrder:
    number: str
    status: str
    created: str  # YYYY-MM-DD, site-local
    lines: tuple[OrderLine, ...]
    customer_notes: tuple[str, ...]  # newest first


def same_email(given: str, billing: str) -> bool:
    """Case-insensitive and constant-time (the time taken says nothing of how much matched)."""
    return hmac.compare_digest(
        given.strip().casefold().encode("utf-8"), billing.strip().casefold().encode("utf-8")
    )


class StoreOrders:
    def __init__(
        self,
        db: Database,
        secret_box: SecretBox,
        *,
        outbound: OutboundPolicy | None = None,
        timeout_s: float = LOOKUP_TIMEOUT_S,
        **client_options: Any,
    ) -> None:
        """`outbound`: the process's outbound policy (None: the strict default).
        `client_options`: more `StoreSessionOptions` (tests: TLS verification)."""
        self._db = db
        self._secret_box = secret_box
        self._outbound = outbound
        self._timeout_s = timeout_s
        self._client_options = client_options

    async def find(
        self, tenant_id: TenantId, store_id: uuid.UUID | None, number: str, email: str
    ) -> CustomerOrder | None:
        if store_id is None:
            raise OrdersUnavailable("no store connected")
        try:
            store = await load_store(self._db, tenant_id, store_id)
            key, secret = store_credentials(store, self._secret_box)
            async with asyncio.timeout(self._timeout_s):
                async with WooClient(
                    store.base_url,
                    key,
                    secret,
                    currency=store.currency,
                    timeout_s=self._timeout_s,
                    retry=LOOKUP_RETRY,
                    outbound=self._outbound,
                    **self._client_options,
                ) as client:
                    return await _matching_order(client, number, email)
        except (AppError, httpx.HTTPError, TimeoutError, ValueError, KeyError) as exc:
            log.warning("order look-up: the store could not be asked (%s)", type(exc).__name__)
            raise OrdersUnavailable(type(exc).__name__) from None


async def _matching_order(client: WooClient, number: str, email: str) -> CustomerOrder | None:
    raw = await client.orders.order_by_number(number)
    billing = raw.get("billing") if raw is not None else None
    billing_email = billing.get("email") if isinstance(billing, dict) else None
    if raw is None or not isinstance(billing_email, str) or not billing_email:
        same_email(email, "-" * len(email))  # the same work as a comparison, then no match
        return None
    if not same_email(email, billing_email):
        return None
    notes = await client.orders.customer_notes(int(raw["id"]))
    return _customer_order(raw, number, notes)


def _customer_order(raw: JsonDict, number: str, notes: list[JsonDict]) -> CustomerOrder:
    lines = tuple(
        OrderLine(
            str(item.get("name") or "")[:200],
            _quantity(item.get("quantity")),
            str(item["product_id"]) if isinstance(item.get("product_id"), int) else None,
        )
        for item in raw.get("line_items") or []
        if isinstance(item, dict) and item.get("name")
    )
    created = str(raw.get("date_created") or "")[:10]
    texts = tuple(
        _TAGS.sub("", n["note"]).strip()[:500]
        for n in notes[:MAX_NOTES]
        if isinstance(n.get("note"), str)
    )
    return CustomerOrder(number, str(raw.get("status") or "unknown")[:40], created, lines, texts)


def _quantity(value: object) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else 1
