"""Incoming webhooks from stores (WooCommerce)."""

from api.webhooks.endpoints import WebhookRouteDeps, build_webhook_router, include_webhook_routes

__all__ = ["WebhookRouteDeps", "build_webhook_router", "include_webhook_routes"]
