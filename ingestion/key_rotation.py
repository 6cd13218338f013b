"""Re-encrypt every store's credentials and every bot's own model key with the newest
encryption key.

Rotation: prepend a new Fernet key to SHOPBOT_ENCRYPTION_KEYS (old keys still decrypt),
run `shopbot secrets rotate`, then drop the old key from the setting.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy import select, text

from core.crypto import SecretBox
from core.db.database import Database
from core.errors import ConfigurationError
from core.ids import TenantId
from core.models import Bot, StoreConnection

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RotationResult:
    tenants: int
    stores: int
    bots: int = 0
    # Stores and bots whose ciphertext none of the configured keys opens (a key was dropped too
    # early): left untouched and reported, so one bad row cannot block the rotation.
    unreadable: int = 0


async def rotate_secrets(db: Database, secret_box: SecretBox) -> RotationResult:
    async with db.system_session() as session:
        # Disconnected stores keep their ciphertext too, so list every store's tenant.
        store_tenants = {
            TenantId(row.tenant_id)
            for row in (
                await session.execute(text("SELECT tenant_id FROM app_active_stores()"))
            ).all()
        }
        bot_tenants = {
            TenantId(row.tenant_id)
            for row in (
                await session.execute(text("SELECT tenant_id FROM app_bots_with_llm_keys()"))
            ).all()
        }
    tenants = store_tenants | bot_tenants
    stores = bots = unreadable = 0
    for tenant_id in sorted(tenants):
        # One transaction per tenant: a failure leaves every other tenant's rows consistent.
        async with db.tenant_session(tenant_id) as session:
            for store in (
                await session.scalars(
                    select(StoreConnection).where(StoreConnection.tenant_id == tenant_id)
                )
            ).all():
                try:
                    credentials = secret_box.rotate(store.credentials_ciphertext)
                    webhook = (
                        secret_box.rotate(store.webhook_secret_ciphertext)
                        if store.webhook_secret_ciphertext is not None
                        else None
                    )
                except ConfigurationError:
                    log.error(
                        "store %s: credentials unreadable with the configured keys; not rotated",
                        store.id,
                    )
                    unreadable += 1
                    continue
                store.credentials_ciphertext = credentials
                store.webhook_secret_ciphertext = webhook
                stores += 1
            keyed_bots = select(Bot).where(
                Bot.tenant_id == tenant_id, Bot.llm_api_key_ciphertext.is_not(None)
            )
            for bot in (await session.scalars(keyed_bots)).all():
                try:
                    bot.llm_api_key_ciphertext = secret_box.rotate(
                        bot.llm_api_key_ciphertext or b""
                    )
                except ConfigurationError:
                    log.error(
                        "bot %s: its model key is unreadable with the configured keys; not rotated",
                        bot.id,
                    )
                    unreadable += 1
                    continue
                bots += 1
    return RotationResult(tenants=len(tenants), stores=stores, bots=bots, unreadable=unreadable)
