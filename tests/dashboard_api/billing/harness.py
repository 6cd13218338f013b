"""Billing test helpers (not fixtures): a gateway on the Stripe emulator, signed webhook
deliveries to the app under test, a subscription bought through Checkout, and reads of
what the database holds."""

from __future__ import annotations

import re
import time
from typing import Any

import httpx
from pydantic import SecretStr
from sqlalchemy import func, literal_column, select

from core.db.database import Database
from core.ids import TenantId
from core.models import AuditLogEntry, WebhookEvent
from core.models.billing import Subscription
from dashboard_api.billing.gateway import StripeConfig, StripeGateway
from emulators.stripe import DEFAULT_WEBHOOK_SECRET, FakeStripe, event_body
from tests.dashboard_api.harness import Merchant

# The seeded paid plans and their monthly prices in cents (migration 0005).
PAID_PLANS = {"starter": 1900, "growth": 4900, "scale": 19900}
WEBHOOK_SECRET = DEFAULT_WEBHOOK_SECRET


def gateway_for(fake: FakeStripe) -> StripeGateway:
    # No retries: a fault injected into the emulator must reach the code under test.
    return StripeGateway(
        StripeConfig(
            secret_key=SecretStr(fake.api_key),
            webhook_secret=SecretStr(WEBHOOK_SECRET),
            api_base=fake.url,
            max_network_retries=0,
        )
    )


async def deliver(
    client: httpx.AsyncClient,
    event: dict[str, Any],
    *,
    secret: str = WEBHOOK_SECRET,
    timestamp: int | None = None,
    body: bytes | None = None,
) -> httpx.Response:
    """POST the event to `/webhooks/stripe` as Stripe does (signed with `secret`)."""
    payload = body if body is not None else event_body(event)
    signed = FakeStripe.sign(event_body(event), secret, timestamp or int(time.time()))
    return await client.post(
        "/webhooks/stripe",
        content=payload,
        headers={"Content-Type": "application/json", "Stripe-Signature": signed},
    )


async def deliver_all(client: httpx.AsyncClient, events: list[dict[str, Any]]) -> list[str]:
    statuses = []
    for event in events:
        response = await deliver(client, event)
        assert response.status_code == 200, response.text
        statuses.append(response.json()["status"])
    return statuses


def session_id_of(url: str) -> str:
    found = re.search(r"/checkout/(cs_[A-Za-z0-9_]+)$", url)
    assert found, url
    return found.group(1)


async def subscribe(
    client: httpx.AsyncClient, merchant: Merchant, fake: FakeStripe, plan: str
) -> dict[str, Any]:
    """Checkout for `plan`, paid in the emulator, and every event it produced delivered.
    Returns the subscription as Stripe made it."""
    response = await client.post(
        "/v1/billing/checkout", json={"plan": plan}, headers=merchant.headers
    )
    assert response.status_code == 200, response.text
    first = len(fake.events)
    subscription = fake.complete_checkout(session_id_of(response.json()["url"]))
    await deliver_all(client, fake.events[first:])
    return subscription


async def billing(client: httpx.AsyncClient, merchant: Merchant) -> dict[str, Any]:
    response = await client.get("/v1/billing", headers=merchant.headers)
    assert response.status_code == 200, response.text
    return response.json()


async def recorded_events(db: Database, tenant_id: TenantId) -> int:
    async with db.tenant_session(tenant_id) as session:
        return int(
            await session.scalar(
                select(func.count()).where(
                    WebhookEvent.tenant_id == tenant_id, WebhookEvent.source == "stripe"
                )
            )
            or 0
        )


async def billing_row(db: Database, tenant_id: TenantId) -> Subscription | None:
    async with db.tenant_session(tenant_id) as session:
        return await session.scalar(select(Subscription).where(Subscription.tenant_id == tenant_id))


async def audit_actions(db: Database, tenant_id: TenantId, prefix: str = "billing.") -> list[dict]:
    async with db.tenant_session(tenant_id) as session:
        rows = await session.scalars(
            select(AuditLogEntry)
            .where(AuditLogEntry.tenant_id == tenant_id, AuditLogEntry.action.like(prefix + "%"))
            # A test's requests share one transaction, so their entries share one now(): the
            # row's place in the heap (ctid, insert-only here) breaks the tie in write order.
            .order_by(AuditLogEntry.created_at, literal_column("ctid"))
        )
        return [{"action": row.action, **row.details} for row in rows]
