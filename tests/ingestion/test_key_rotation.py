"""Key rotation: after `rotate`, only the newest key is needed to read store credentials."""

from __future__ import annotations

from sqlalchemy import select, update

from core.crypto import SecretBox, generate_key
from core.models import Bot, StoreConnection
from core.provisioning import provision_tenant
from ingestion.key_rotation import rotate_secrets


async def test_rotation_re_encrypts_every_store_with_the_newest_key(db) -> None:
    old_key, new_key = generate_key(), generate_key()
    old_box = SecretBox([old_key])
    tenants = [
        await provision_tenant(db, name=f"Rotating {i}", allowed_origins=[]) for i in range(2)
    ]
    for tenant in tenants:
        async with db.tenant_session(tenant.tenant_id) as session:
            session.add(
                StoreConnection(
                    tenant_id=tenant.tenant_id,
                    base_url=f"https://{tenant.tenant_id}.test",
                    credentials_ciphertext=old_box.encrypt_json(
                        {"consumer_key": "ck_x", "consumer_secret": "cs_secret"}
                    ),
                    webhook_secret_ciphertext=old_box.encrypt("whsec"),
                )
            )

    # Stores other tests committed under their own keys are reported, not rotated.
    result = await rotate_secrets(db, SecretBox([new_key, old_key]))
    assert result.stores >= 2 and result.tenants >= 2

    only_new = SecretBox([new_key])
    for tenant in tenants:
        async with db.tenant_session(tenant.tenant_id) as session:
            store = await session.scalar(select(StoreConnection))
        assert only_new.decrypt_json(store.credentials_ciphertext)["consumer_secret"] == "cs_secret"
        assert only_new.decrypt(store.webhook_secret_ciphertext) == "whsec"


async def test_a_store_no_key_opens_is_reported_and_left_alone(db) -> None:
    tenant = await provision_tenant(db, name="Lost key", allowed_origins=[])
    lost = SecretBox([generate_key()]).encrypt_json({"consumer_key": "ck", "consumer_secret": "cs"})
    async with db.tenant_session(tenant.tenant_id) as session:
        session.add(
            StoreConnection(
                tenant_id=tenant.tenant_id,
                base_url="https://lost.test",
                credentials_ciphertext=lost,
            )
        )
    result = await rotate_secrets(db, SecretBox([generate_key()]))
    assert result.unreadable >= 1
    async with db.tenant_session(tenant.tenant_id) as session:
        assert (await session.scalar(select(StoreConnection))).credentials_ciphertext == lost


async def test_rotation_re_encrypts_bots_own_model_keys_and_reports_unreadable_ones(db) -> None:
    old_key, new_key = generate_key(), generate_key()
    kept = await provision_tenant(db, name="Own model", allowed_origins=[])
    lost = await provision_tenant(db, name="Lost model key", allowed_origins=[])
    lost_ciphertext = SecretBox([generate_key()]).encrypt("sk-lost")
    for tenant, ciphertext in (
        (kept, SecretBox([old_key]).encrypt("sk-merchant")),
        (lost, lost_ciphertext),
    ):
        async with db.tenant_session(tenant.tenant_id) as session:
            await session.execute(
                update(Bot).where(Bot.id == tenant.bot_id).values(llm_api_key_ciphertext=ciphertext)
            )

    result = await rotate_secrets(db, SecretBox([new_key, old_key]))
    assert result.bots >= 1 and result.unreadable >= 1

    async with db.tenant_session(kept.tenant_id) as session:
        assert (
            SecretBox([new_key]).decrypt(await session.scalar(select(Bot.llm_api_key_ciphertext)))
            == "sk-merchant"
        )
    async with db.tenant_session(lost.tenant_id) as session:
        assert await session.scalar(select(Bot.llm_api_key_ciphertext)) == lost_ciphertext
