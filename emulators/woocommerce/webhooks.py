"""Webhooks: the `/webhooks` REST resource, and deliveries signed exactly as WooCommerce signs them.

A delivery is a POST of `trim(wp_json_encode(payload))` with the X-WC-Webhook-* headers and
`X-WC-Webhook-Signature = base64(HMAC-SHA256(raw body, secret))`. `deleted` events carry only
`{"id": …}`. Creating a webhook makes WooCommerce POST a form-encoded `webhook_id=<id>` ping
to the delivery URL (off by default here, because tests rarely have a receiver running).
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import itertools
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import httpx
from starlette.responses import Response

from emulators.catalog import JsonDict, StoreSettings
from emulators.catalog.shapes import date_pair
from emulators.woocommerce.state import StoreState
from emulators.woocommerce.wire import Args, WPError, json_response, php_json

TOPIC_HOOKS = {
    "product.created": [
        "woocommerce_process_product_meta",
        "woocommerce_new_product",
        "woocommerce_new_product_variation",
    ],
    "product.updated": [
        "woocommerce_process_product_meta",
        "woocommerce_update_product",
        "woocommerce_update_product_variation",
    ],
    "product.deleted": ["wp_trash_post"],
    "product.restored": ["untrashed_post"],
}
_VALID_TOPIC = re.compile(
    r"^((coupon|customer|order|product)\.(created|updated|deleted|restored)|action\.(woocommerce_|wc_)\w+)$"
)
_delivery_counter = itertools.count(1)


@dataclass(frozen=True)
class WebhookDelivery:
    url: str
    headers: dict[str, str]
    body: bytes

    def send(self, *, timeout: float = 10.0) -> httpx.Response:
        return httpx.post(self.url, content=self.body, headers=self.headers, timeout=timeout)

    async def asend(self, client: httpx.AsyncClient | None = None) -> httpx.Response:
        if client is not None:
            return await client.post(self.url, content=self.body, headers=self.headers)
        async with httpx.AsyncClient(timeout=10.0) as owned:
            return await owned.post(self.url, content=self.body, headers=self.headers)


def sign_webhook_body(body: bytes, secret: str) -> str:
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


def build_webhook_delivery(
    url: str,
    *,
    topic: str,
    payload: JsonDict | bytes,
    secret: str,
    webhook_id: int = 1,
    source_url: str = "https://shop.example.test/",
    settings: StoreSettings | None = None,
    signature: str | None = None,
) -> WebhookDelivery:
    """A delivery as WooCommerce sends it. Pass `signature` to forge or tamper with one."""
    settings = settings or StoreSettings()
    body = payload if isinstance(payload, bytes) else php_json(payload).strip().encode()
    resource, event = topic.split(".", 1)
    delivery_id = hashlib.md5(f"{webhook_id}{next(_delivery_counter)}".encode()).hexdigest()
    headers = {
        "Content-Type": "application/json",
        "User-Agent": _user_agent(settings),
        "X-WC-Webhook-Source": source_url if source_url.endswith("/") else f"{source_url}/",
        "X-WC-Webhook-Topic": topic,
        "X-WC-Webhook-Resource": resource,
        "X-WC-Webhook-Event": event,
        "X-WC-Webhook-Signature": signature
        if signature is not None
        else sign_webhook_body(body, secret),
        "X-WC-Webhook-ID": str(webhook_id),
        "X-WC-Webhook-Delivery-ID": delivery_id,
    }
    return WebhookDelivery(url=url, headers=headers, body=body)


def _user_agent(settings: StoreSettings) -> str:
    return f"WooCommerce/{settings.wc_version} Hookshot (WordPress/{settings.wp_version})"


def build_webhook_ping(
    url: str, webhook_id: int, settings: StoreSettings | None = None
) -> WebhookDelivery:
    settings = settings or StoreSettings()
    return WebhookDelivery(
        url=url,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "User-Agent": _user_agent(settings),
        },
        body=f"webhook_id={webhook_id}".encode(),
    )


def deliveries_for(
    state: StoreState, topic: str, product_id: int, source_url: str
) -> list[WebhookDelivery]:
    """What the store would send to its active webhooks for `topic` on this product now."""
    with state.lock:
        if topic.endswith(".deleted"):
            payload: JsonDict = {"id": product_id}
        else:
            payload = state.product(product_id)
        return [
            build_webhook_delivery(
                hook["delivery_url"],
                topic=topic,
                payload=payload,
                secret=state.webhook_secrets[hook["id"]],
                webhook_id=hook["id"],
                source_url=source_url,
                settings=state.catalog.settings,
            )
            for hook in state.webhooks
            if hook["topic"] == topic and hook["status"] == "active"
        ]


# --- the /webhooks REST resource --------------------------------------------------------
def list_webhooks(
    state: StoreState, query: dict[str, str], paged: Callable[[list[JsonDict], Args], Response]
) -> Response:
    args = Args(query)
    status = args.choice("status", "all", ("all", "active", "paused", "disabled"))
    with state.lock:
        hooks = [h for h in state.webhooks if status == "all" or h["status"] == status]
        return paged(sorted(hooks, key=lambda h: h["id"], reverse=True), args)


def create_webhook(state: StoreState, body: dict[str, Any], rest_url: str, ping: bool) -> Response:
    topic = str(body.get("topic", "")).lower()
    delivery_url = str(body.get("delivery_url", ""))
    if not topic or not _VALID_TOPIC.match(topic):
        raise WPError(
            "woocommerce_rest_shop_webhook_invalid_topic",
            "Webhook topic is required and must be valid.",
            400,
        )
    if not re.match(r"^https?://[^\s/$.?#].[^\s]*$", delivery_url):
        raise WPError(
            "woocommerce_rest_shop_webhook_invalid_delivery_url",
            "Webhook delivery URL must be a valid URL starting with http:// or https://.",
            400,
        )
    with state.lock:
        webhook_id = state.catalog.allocate_post_id()
        now: datetime = state.clock()
        hook: JsonDict = {
            "id": webhook_id,
            "name": str(body.get("name") or f"Webhook created on {now:%B %d, %Y @ %I:%M %p}"),
            "status": str(body.get("status") or "active"),
            "topic": topic,
            "resource": topic.split(".")[0],
            "event": topic.split(".")[1],
            "hooks": TOPIC_HOOKS.get(topic, []),
            "delivery_url": delivery_url,
            **date_pair("date_created", now, state.catalog.settings),
            **date_pair("date_modified", now, state.catalog.settings),
            "_links": {
                "self": [{"href": f"{rest_url}/{webhook_id}"}],
                "collection": [{"href": rest_url}],
            },
        }
        state.webhooks.append(hook)
        state.webhook_secrets[webhook_id] = str(
            body.get("secret") or hashlib.sha256(str(now).encode()).hexdigest()
        )
        created = {
            **hook,
            "secret": state.webhook_secrets[webhook_id],
        }  # `edit` context shows the secret
    if ping:
        delivery = build_webhook_ping(delivery_url, webhook_id, state.catalog.settings)
        threading.Thread(target=_send_quietly, args=(delivery,), daemon=True).start()
    return json_response(created, status=201, headers={"Location": f"{rest_url}/{webhook_id}"})


def update_webhook(state: StoreState, webhook_id: int, body: dict[str, Any]) -> Response:
    with state.lock:
        hook = next((h for h in state.webhooks if h["id"] == webhook_id), None)
        if hook is None:
            raise WPError("woocommerce_rest_shop_webhook_invalid_id", "ID is invalid.", 400)
        if body.get("topic"):
            if not _VALID_TOPIC.match(str(body["topic"]).lower()):
                raise WPError(
                    "woocommerce_rest_shop_webhook_invalid_topic",
                    "Webhook topic must be valid.",
                    400,
                )
            hook["topic"] = str(body["topic"]).lower()
            hook["resource"], hook["event"] = hook["topic"].split(".", 1)
            hook["hooks"] = TOPIC_HOOKS.get(hook["topic"], [])
        if body.get("delivery_url"):
            hook["delivery_url"] = str(body["delivery_url"])
        if body.get("secret"):
            state.webhook_secrets[webhook_id] = str(body["secret"])
        if body.get("status"):
            if body["status"] not in ("active", "paused", "disabled"):
                raise WPError(
                    "woocommerce_rest_shop_webhook_invalid_status",
                    "Webhook status must be valid.",
                    400,
                )
            hook["status"] = str(body["status"])
        if body.get("name"):
            hook["name"] = str(body["name"])
        hook.update(date_pair("date_modified", state.clock(), state.catalog.settings))
        return json_response({**hook, "secret": state.webhook_secrets[webhook_id]})


def disable_after_failures(state: StoreState, webhook_id: int) -> None:
    """What WooCommerce does after repeated failed deliveries: the webhook stops delivering."""
    with state.lock:
        for hook in state.webhooks:
            if hook["id"] == webhook_id:
                hook["status"] = "disabled"


def get_webhook(state: StoreState, webhook_id: int) -> Response:
    with state.lock:
        hook = next((h for h in state.webhooks if h["id"] == webhook_id), None)
    if hook is None:
        raise WPError("woocommerce_rest_shop_webhook_invalid_id", "Invalid ID.", 404)
    return json_response(hook)


def delete_webhook(state: StoreState, webhook_id: int, force: bool) -> Response:
    if not force:
        raise WPError(
            "woocommerce_rest_trash_not_supported", "Webhooks do not support trashing.", 501
        )
    with state.lock:
        hook = next((h for h in state.webhooks if h["id"] == webhook_id), None)
        if hook is None:
            raise WPError("woocommerce_rest_shop_webhook_invalid_id", "Invalid ID.", 404)
        state.webhooks.remove(hook)
        state.webhook_secrets.pop(webhook_id, None)
    return json_response(hook)


def _send_quietly(delivery: WebhookDelivery) -> None:
    with contextlib.suppress(httpx.HTTPError):  # WooCommerce logs a failed ping and carries on
        delivery.send(timeout=5.0)
