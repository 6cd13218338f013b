"""Creating a tenant with its default bot: shared by operator commands and registration."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from sqlalchemy.ext.asyncio import AsyncSession

from core.db.database import Database
from core.errors import ValidationFailed
from core.ids import BotId, TenantId, new_id, new_widget_key
from core.models import Bot, Tenant


@dataclass(frozen=True)
class ProvisionedTenant:
    tenant_id: TenantId
    bot_id: BotId
    widget_key: str


def normalise_origin(origin: str) -> str:
    """`https://Shop.Example.com/` → `https://shop.example.com`; wildcards keep their `*.`."""
    value = origin.strip()
    parts = urlsplit(value)
    if parts.scheme not in {"http", "https"} or not parts.netloc or parts.path not in {"", "/"}:
        raise ValidationFailed(
            f"allowed origin {origin!r} must look like https://shop.example.com "
            "or https://*.example.com (scheme and host, no path)"
        )
    if parts.query or parts.fragment or "@" in parts.netloc:
        raise ValidationFailed(
            f"allowed origin {origin!r} must not carry a query, fragment or user"
        )
    return f"{parts.scheme}://{parts.netloc.lower()}"


async def provision_tenant(
    db: Database, *, name: str, allowed_origins: list[str], currency: str = "USD"
) -> ProvisionedTenant:
    """A new tenant and its default bot, in a transaction of their own."""
    tenant_id = new_tenant_id()
    async with db.tenant_session(tenant_id) as session:
        return await add_tenant_with_bot(
            session, tenant_id, name=name, allowed_origins=allowed_origins, currency=currency
        )


def new_tenant_id() -> TenantId:
    # Chosen before the insert so the caller can open the tenant session the RLS check
    # (id = app.tenant_id) needs for it.
    return TenantId(new_id())


async def add_tenant_with_bot(
    session: AsyncSession,
    tenant_id: TenantId,
    *,
    name: str,
    allowed_origins: list[str],
    currency: str = "USD",
) -> ProvisionedTenant:
    """Inside the caller's tenant session for `tenant_id`, so whatever else the caller
    writes (registration's owner account) commits or rolls back with the tenant."""
    name = name.strip()
    if not name:
        raise ValidationFailed("a tenant needs a non-empty name")
    origins = [normalise_origin(o) for o in allowed_origins]
    session.add(Tenant(id=tenant_id, name=name, currency=currency))
    await session.flush()
    bot = Bot(
        tenant_id=tenant_id,
        name=f"{name} assistant",
        widget_key=new_widget_key(),
        allowed_origins=origins,
        greeting=f"Hi! I can help you find products at {name}. What are you looking for?",
        # No model settings: the provider defaults to "platform", resolved per question, so
        # the bot answers with the platform's model whenever the platform has a key.
        llm_settings={},
    )
    session.add(bot)
    await session.flush()
    return ProvisionedTenant(tenant_id=tenant_id, bot_id=BotId(bot.id), widget_key=bot.widget_key)
