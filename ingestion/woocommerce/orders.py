"""The wc/v3 Orders API, read-only: one order by id and its customer notes.

WooCommerce numbers orders by their post id unless a plugin renumbers them; the `number`
field is what the shopper saw on their confirmation. `order_by_number` asks for that id and
takes the order only when its `number` is the one asked for. Stores whose numbers differ
from ids (sequential-number plugins) are not searched: a search would make a missing
number cost a second request that a wrong email does not, and the time an answer takes
must not tell the two apart.
"""

from __future__ import annotations

from ingestion.woocommerce import errors
from ingestion.woocommerce.listing import JsonDict
from ingestion.woocommerce.session import StoreSession


class WooOrders:
    def __init__(self, session: StoreSession) -> None:
        self._session = session

    async def order_by_number(self, number: str) -> JsonDict | None:
        """The order whose `number` is `number`, or None when there is none."""
        if not number.isdigit():
            return None
        try:
            response = await self._session.get(f"/wc/v3/orders/{int(number)}")
        except errors.StoreResourceNotFound:
            return None
        order = response.data
        return order if isinstance(order, dict) and str(order.get("number")) == number else None

    async def customer_notes(self, order_id: int) -> list[JsonDict]:
        """The notes the store wrote to the customer, newest first (never internal ones)."""
        try:
            response = await self._session.get(
                f"/wc/v3/orders/{int(order_id)}/notes", {"type": "customer"}
            )
        except errors.StoreResourceNotFound:
            return []
        notes = response.data if isinstance(response.data, list) else []
        return [n for n in notes if isinstance(n, dict) and n.get("customer_note") is True]
