"""Stripe's webhook signature scheme, and delivery of an event to an endpoint over HTTP.

`Stripe-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>" keyed with the
endpoint's signing secret>`; receivers (stripe.Webhook.construct_event) recompute it over
the exact bytes received and refuse a timestamp older than their tolerance (300 s by
default), which is what makes a replayed or edited delivery fail.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from typing import Any

import httpx


def sign_payload(payload: bytes, secret: str, timestamp: int | None = None) -> str:
    stamp = int(time.time()) if timestamp is None else timestamp
    signed = f"{stamp}.".encode() + payload
    digest = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return f"t={stamp},v1={digest}"


def event_body(event: dict[str, Any]) -> bytes:
    """The JSON Stripe posts: the event object, pretty-printed as Stripe does."""
    return json.dumps(event, indent=2).encode()


def deliver_event(
    event: dict[str, Any],
    url: str,
    secret: str,
    *,
    timestamp: int | None = None,
    timeout_s: float = 10.0,
) -> httpx.Response:
    body = event_body(event)
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "Stripe-Signature": sign_payload(body, secret, timestamp),
        "User-Agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)",
    }
    return httpx.post(url, content=body, headers=headers, timeout=timeout_s)
