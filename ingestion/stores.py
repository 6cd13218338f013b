"""Connecting a merchant's WooCommerce store.

`register_store` tests the connection first (URL, WooCommerce present, permalinks, keys:
each failure is a typed `WooCommerceError` whose detail is one line the merchant can act
on), then stores the store with its credentials and webhook secret encrypted by the
SecretBox, and finally registers the product webhooks on the store. The row is committed
before the webhooks exist, so the first delivery always finds its store. Connecting the
same URL again for the same tenant updates that store instead of adding a twin.

The store URL passes the outbound guard (`core.outbound`) before anything is sent, and
every request after that (the test, webhook registration) goes through a guarded client:
`outbound` is the policy (None: the process's configured one).
"""

from __future__ import annotations

import logging
import secrets
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select, text, update

from core.billing.room import require_room
from core.crypto import SecretBox
from core.db.database import Database
from core.errors import AppError
from core.ids import TenantId
from core.models import StoreConnection
from core.models.store import StoreStatus
from core.outbound import OutboundPolicy, check_url, configured_policy
from ingestion.woocommerce.client import StoreInfo, WebhookRegistration, WooClient
from ingestion.woocommerce.session import normalise_store_url

log = logging.getLogger(__name__)

ClientFactory = Callable[[str, str, str], WooClient]
WEBHOOK_PATH = "/webhooks/woocommerce/{store_id}"


@dataclass(frozen=True)
class RegisteredStore:
    store_id: uuid.UUID
    tenant_id: TenantId
    base_url: str
    currency: str
    product_count: int
    created: bool
    webhooks: list[WebhookRegistration] = field(default_factory=list)
    webhook_error: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "store_id": str(self.store_id),
            "base_url": self.base_url,
            "currency": self.currency,
            "product_count": self.product_count,
            "created": self.created,
            "webhooks": [{"id": w.id, "topic": w.topic, "status": w.status} for w in self.webhooks],
            "webhook_error": self.webhook_error,
        }


async def tenant_of_store(db: Database, store_id: uuid.UUID) -> TenantId | None:
    """The store's tenant, through the SECURITY DEFINER lookup (no tenant is known yet)."""
    async with db.system_session() as session:
        tenant = await session.scalar(text("SELECT app_store_tenant(:id)"), {"id": store_id})
    return TenantId(tenant) if tenant is not None else None


def webhook_delivery_url(public_api_url: str, store_id: uuid.UUID) -> str:
    return public_api_url.rstrip("/") + WEBHOOK_PATH.format(store_id=store_id)


def guarded_client_factory(outbound: OutboundPolicy) -> ClientFactory:
    """WooClients bound to `outbound`: how store connections are made unless a caller
    (a test with its own TLS context or transport) supplies its own factory."""

    def make(url: str, key: str, secret: str) -> WooClient:
        return WooClient(url, key, secret, outbound=outbound)

    return make


async def test_store_connection(
    url: str,
    consumer_key: str,
    consumer_secret: str,
    *,
    client_factory: ClientFactory | None = None,
    outbound: OutboundPolicy | None = None,
) -> StoreInfo:
    """Raises `OutboundRefused` (422) for a URL the policy refuses, before any request."""
    policy = configured_policy(outbound)
    await check_url(normalise_store_url(url), policy)
    factory = client_factory or guarded_client_factory(policy)
    async with factory(url, consumer_key, consumer_secret) as client:
        return await client.test_connection()


async def register_store(
    db: Database,
    secret_box: SecretBox,
    tenant_id: TenantId,
    *,
    url: str,
    consumer_key: str,
    consumer_secret: str,
    webhook_secret: str | None = None,
    name: str | None = None,
    public_api_url: str | None = None,
    client_factory: ClientFactory | None = None,
    outbound: OutboundPolicy | None = None,
) -> RegisteredStore:
    """Test, store (encrypted), register webhooks. Raises `OutboundRefused` (422) for a URL
    the policy refuses, a `WooCommerceError` (4xx/502) when the connection test fails;
    then nothing is stored."""
    consumer_key, consumer_secret = consumer_key.strip(), consumer_secret.strip()
    base_url = normalise_store_url(url)
    policy = configured_policy(outbound)
    await check_url(base_url, policy)
    factory = client_factory or guarded_client_factory(policy)
    async with factory(base_url, consumer_key, consumer_secret) as client:
        info = await client.test_connection()
        secret = webhook_secret or secrets.token_urlsafe(32)
        store_id, created = await _save_store(
            db,
            secret_box,
            tenant_id,
            base_url=base_url,
            name=name,
            info=info,
            credentials={"consumer_key": consumer_key, "consumer_secret": consumer_secret},
            webhook_secret=secret,
        )
        registrations: list[WebhookRegistration] = []
        webhook_error = None
        if public_api_url:
            try:
                registrations = await client.register_webhooks(
                    webhook_delivery_url(public_api_url, store_id), secret
                )
            except AppError as error:
                # A read-only key cannot create webhooks; the store still syncs on schedule.
                webhook_error = error.detail
                log.warning("webhook registration failed for store %s: %s", store_id, error.detail)
            await _record_webhooks(db, tenant_id, store_id, registrations, webhook_error)
    return RegisteredStore(
        store_id=store_id,
        tenant_id=tenant_id,
        base_url=base_url,
        currency=info.currency,
        product_count=info.product_count,
        created=created,
        webhooks=registrations,
        webhook_error=webhook_error,
    )


async def _save_store(
    db: Database,
    secret_box: SecretBox,
    tenant_id: TenantId,
    *,
    base_url: str,
    name: str | None,
    info: StoreInfo,
    credentials: dict[str, str],
    webhook_secret: str,
) -> tuple[uuid.UUID, bool]:
    values = {
        "base_url": base_url,
        "name": name,
        "credentials_ciphertext": secret_box.encrypt_json(credentials),
        "webhook_secret_ciphertext": secret_box.encrypt(webhook_secret),
        "currency": (info.currency or "USD")[:3],
        "status": StoreStatus.ACTIVE,
        "last_error": None,
    }
    async with db.tenant_session(tenant_id) as session:
        existing = await session.scalar(
            select(StoreConnection).where(
                StoreConnection.tenant_id == tenant_id, StoreConnection.base_url == base_url
            )
        )
        if existing is None or existing.status == StoreStatus.DISCONNECTED:
            # A new connection (or a disconnected one coming back) takes one of the plan's
            # store slots; checked under the quota lock held until this write commits.
            await require_room(session, tenant_id, "stores")
        if existing is not None:
            if name is None:
                values.pop("name")
            for key, value in values.items():
                setattr(existing, key, value)
            await session.flush()
            return existing.id, False
        store = StoreConnection(
            id=uuid.uuid4(), tenant_id=tenant_id, platform="woocommerce", **values
        )
        session.add(store)
        await session.flush()
        return store.id, True


async def _record_webhooks(
    db: Database,
    tenant_id: TenantId,
    store_id: uuid.UUID,
    registrations: list[WebhookRegistration],
    error: str | None,
) -> None:
    async with db.tenant_session(tenant_id) as session:
        store = await session.get(StoreConnection, store_id)
        if store is None:
            return
        settings = dict(store.settings or {})
        settings["webhooks"] = {
            "ids": [w.id for w in registrations],
            "topics": [w.topic for w in registrations],
            "error": error,
        }
        await session.execute(
            update(StoreConnection)
            .where(StoreConnection.tenant_id == tenant_id, StoreConnection.id == store_id)
            .values(settings=settings)
        )
