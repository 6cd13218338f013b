"""Connecting a store: connection test first, credentials encrypted, webhooks registered."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from core.crypto import SecretBox
from core.db.database import Database
from core.ids import TenantId
from core.models import StoreConnection
from emulators.catalog import generate_catalog
from ingestion.stores import register_store, webhook_delivery_url
from ingestion.woocommerce.errors import (
    NotAWordPressSite,
    NotWooCommerceStore,
    StoreCredentialsRejected,
)
from tests.support.sync import new_tenant
from tests.support.woo_store import FakeWooStore


async def _store_count(db: Database, tenant: TenantId) -> int:
    async with db.tenant_session(tenant) as session:
        count = await session.scalar(select(func.count()).select_from(StoreConnection))
        assert count is not None  # count(*) always returns a row
        return count


async def test_register_encrypts_credentials_and_registers_webhooks(
    db: Database, secret_box: SecretBox
) -> None:
    tenant = await new_tenant(db)
    with FakeWooStore(generate_catalog(12, seed=3)) as store:
        registered = await register_store(
            db,
            secret_box,
            tenant,
            url=store.url + "/",
            consumer_key=store.consumer_key,
            consumer_secret=store.consumer_secret,
            public_api_url="https://api.shopbot.test/",
            outbound=store.outbound_policy,
        )
        assert registered.created and registered.product_count > 0 and registered.currency
        hooks = store.webhooks
        expected_url = webhook_delivery_url("https://api.shopbot.test", registered.store_id)
        assert sorted(h["topic"] for h in hooks) == sorted(
            ["product.created", "product.updated", "product.deleted", "product.restored"]
        )
        assert {h["delivery_url"] for h in hooks} == {expected_url}

        async with db.tenant_session(tenant) as session:
            row = await session.get(StoreConnection, registered.store_id)
            assert row is not None and row.base_url == store.url
            assert store.consumer_secret.encode() not in bytes(row.credentials_ciphertext)
            assert secret_box.decrypt_json(row.credentials_ciphertext) == {
                "consumer_key": store.consumer_key,
                "consumer_secret": store.consumer_secret,
            }
            assert row.webhook_secret_ciphertext is not None
            webhook_secret = secret_box.decrypt(row.webhook_secret_ciphertext)
        assert {store.webhook_secrets[h["id"]] for h in hooks} == {webhook_secret}

        again = await register_store(
            db,
            secret_box,
            tenant,
            url=store.url,
            consumer_key=store.consumer_key,
            consumer_secret=store.consumer_secret,
            public_api_url="https://api.shopbot.test",
            outbound=store.outbound_policy,
        )
        assert again.store_id == registered.store_id and not again.created
        assert len(store.webhooks) == 4  # updated in place, not duplicated
    assert await _store_count(db, tenant) == 1


async def test_bad_credentials_store_nothing(db: Database, secret_box: SecretBox) -> None:
    tenant = await new_tenant(db)
    with FakeWooStore(generate_catalog(5, seed=3)) as store:
        with pytest.raises(StoreCredentialsRejected) as raised:
            await register_store(
                db,
                secret_box,
                tenant,
                url=store.url,
                consumer_key=store.consumer_key,
                consumer_secret="cs_wrong",
                outbound=store.outbound_policy,
            )
    assert raised.value.status_code == 400 and "\n" not in raised.value.detail
    assert await _store_count(db, tenant) == 0


@pytest.mark.parametrize(
    ("switches", "error"),
    [
        ({"woocommerce_active": False}, NotWooCommerceStore),
        ({"wordpress": False}, NotAWordPressSite),
    ],
)
async def test_a_site_that_is_not_a_woocommerce_store_is_refused(
    db: Database, secret_box: SecretBox, switches: dict, error: type
) -> None:
    tenant = await new_tenant(db)
    with FakeWooStore(generate_catalog(5, seed=3), **switches) as store:
        with pytest.raises(error):
            await register_store(
                db,
                secret_box,
                tenant,
                url=store.url,
                consumer_key=store.consumer_key,
                consumer_secret=store.consumer_secret,
                outbound=store.outbound_policy,
            )
    assert await _store_count(db, tenant) == 0
