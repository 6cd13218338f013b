"""What the engine asks of the store about one order, and what it gets back.

The engine never talks to a store itself: the composition root (cli/services.py) wires an
`OrderLookup` (ingestion's, over the WooCommerce Orders API) into the answer service. The
contract that keeps one shopper out of another's order: a lookup returns facts only when
the order exists AND its billing email matches, and a wrong email reads exactly like a
missing order (`NO_MATCH`), so answers cannot be used to learn which numbers exist.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from core.ids import TenantId


class LookupOutcome(StrEnum):
    FOUND = "found"
    NO_MATCH = "no_match"  # no such order, or another billing email: never told apart
    UNAVAILABLE = "unavailable"  # the store could not be asked (down, slow, misconfigured)
    LIMITED = "too_many_attempts"  # the engine's own: too many failed look-ups, none made


@dataclass(frozen=True, slots=True)
class OrderItem:
    name: str
    quantity: int
    product_id: str | None = None  # the store's product id (the catalogue's external_id)


@dataclass(frozen=True, slots=True)
class OrderFacts:
    """What a shopper may be told about their own order: no address, no payment details."""

    number: str
    status: str  # WooCommerce's status slug: pending, processing, on-hold, completed, ...
    created: str  # the order date, YYYY-MM-DD (site-local, as the store shows it)
    items: tuple[OrderItem, ...]
    tracking_notes: tuple[str, ...]  # the notes the store wrote to the customer, newest first


@dataclass(frozen=True, slots=True)
class OrderLookupResult:
    outcome: LookupOutcome
    facts: OrderFacts | None = None


@dataclass(frozen=True, slots=True)
class OrderLookupRequest:
    tenant_id: TenantId
    store_id: uuid.UUID | None  # the bot's store (None: no store connected)
    order_number: str
    billing_email: str


class OrderLookup(Protocol):
    async def lookup(self, request: OrderLookupRequest) -> OrderLookupResult:
        """Never raises for a store's fault: those are `UNAVAILABLE`."""
        ...
