"""Order status wired: ingestion's store look-up as the engine's `OrderLookup`.

The two sides cannot import each other's types (ingestion may not import engine.orders),
so the composition root translates between them here.
"""

from __future__ import annotations

from redis.asyncio import Redis

from core.crypto import SecretBox
from core.db.database import Database
from core.outbound import OutboundPolicy
from engine.orders import (
    LookupOutcome,
    OrderAttempts,
    OrderDesk,
    OrderFacts,
    OrderItem,
    OrderLookupRequest,
    OrderLookupResult,
)
from ingestion.orders import OrdersUnavailable, StoreOrders


class WooOrderLookup:
    def __init__(self, orders: StoreOrders) -> None:
        self._orders = orders

    async def lookup(self, request: OrderLookupRequest) -> OrderLookupResult:
        try:
            order = await self._orders.find(
                request.tenant_id, request.store_id, request.order_number, request.billing_email
            )
        except OrdersUnavailable:
            return OrderLookupResult(LookupOutcome.UNAVAILABLE)
        if order is None:
            return OrderLookupResult(LookupOutcome.NO_MATCH)
        return OrderLookupResult(
            LookupOutcome.FOUND,
            OrderFacts(
                number=order.number,
                status=order.status,
                created=order.created,
                items=tuple(
                    OrderItem(line.name, line.quantity, line.product_id) for line in order.lines
                ),
                tracking_notes=order.customer_notes,
            ),
        )


def order_desk(
    db: Database,
    secret_box: SecretBox,
    redis: Redis | None,
    *,
    outbound: OutboundPolicy | None = None,
) -> OrderDesk:
    """Order look-ups through the bot's store, failed attempts counted in `redis` (shared by
    the API processes) or, without it, in this process."""
    return OrderDesk(
        WooOrderLookup(StoreOrders(db, secret_box, outbound=outbound)), OrderAttempts(redis)
    )
