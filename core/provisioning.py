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
        raise ValidationFailed(f"allowed origin {origin!r} must not carry a query, fragment or user")
    return f"{parts.scheme}://{parts.netloc.lower()}"


async def provision_tenant(
    db: Database, *, name: str, allowed_origins: list[str], currency: str = "USD"
) -> ProvisionedTenant:
    name = name.strip()
    if not name:
        raise ValidationFailed("a tenant needs a non-empty name")
    origins = [normalise_origin(o) for o in allowed_origins]
    # The id is chosen here so the RLS check (id = app.tenant_id) holds for the insert.
    tenant_id = TenantId(new_id())
    async with db.tenant_session(tenant_id) as session:
        return await _insert_tenant_and_bot(session, tenant_id, name, origins, currency)


async def _insert_tenant_and_bot(
    session: AsyncSession, tenant_id: TenantId, name: str, origins: list[str], currency: str
) -> ProvisionedTenant:
    session.add(Tenant(id=tenant_id, name=name, currency=currency))
    await session.flush()
    bot = Bot(
        tenant_id=tenant_id,
        name=f"{name} assistant",
        widget_key=new_widget_key(),
        allowed_origins=origins,
        greeting=f"Hi! I can help you find products at {name}. What are you looking for?",
    )
    session.add(bot)
    await session.flush()
    return ProvisionedTenant(tenant_id=tenant_id, bot_id=BotId(bot.id), widget_key=bot.widget_key)
