"""Order status: a shopper's order number and billing email, looked up in the store.

- `lookup.py`: the protocol the engine calls (ingestion implements it over the WooCommerce
  Orders API; cli wires it in) and its results;
- `intent.py`: whether a turn is about an order, its number and this turn's email;
- `attempts.py`: failed look-ups limited per shopper and per bot (Redis, else per process);
- `desk.py`: the offline replies and the model's `lookup_order` tool, through one check;
- `tools.py`: the tool as the model provider sees it;
- `answering.py`: an order turn's events (offline or with the model), for engine.answer;
- `repository.py`: the ordered products the answer names, as cards.
"""

from engine.orders.attempts import AttemptLimits, OrderAttempts
from engine.orders.desk import LOOKUP_ORDER_TOOL, OrderDesk, OrderTurn
from engine.orders.intent import OrderQuery, asks_about_an_order, order_query
from engine.orders.lookup import (
    LookupOutcome,
    OrderFacts,
    OrderItem,
    OrderLookup,
    OrderLookupRequest,
    OrderLookupResult,
)
from engine.orders.tools import OrderTools

__all__ = [
    "LOOKUP_ORDER_TOOL",
    "AttemptLimits",
    "LookupOutcome",
    "OrderAttempts",
    "OrderDesk",
    "OrderFacts",
    "OrderItem",
    "OrderLookup",
    "OrderLookupRequest",
    "OrderLookupResult",
    "OrderQuery",
    "OrderTools",
    "OrderTurn",
    "asks_about_an_order",
    "order_query",
]
