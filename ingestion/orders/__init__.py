"""A shopper's order, read from their store for the engine's order-status answers."""

from ingestion.orders.lookup import CustomerOrder, OrderLine, OrdersUnavailable, StoreOrders

__all__ = ["CustomerOrder", "OrderLine", "OrdersUnavailable", "StoreOrders"]
