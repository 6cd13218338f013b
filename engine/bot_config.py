"""A bot row and its tenant's profile → the engine's per-bot configuration.

The JSON settings columns are validated by the merchant API on the way in; here unknown
keys are ignored and missing ones take the defaults, so an old row never breaks answering.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, fields
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.errors import NotFound
from core.ids import BotId, TenantId
from core.models import Bot, Tenant
from engine.retrieval.settings import RetrievalSettings
from engine.types import BotConfig, BusinessProfile, LLMSettings


@dataclass(frozen=True, slots=True)
class LoadedBot:
    bot_id: BotId
    store_id: uuid.UUID | None
    config: BotConfig
    retrieval: RetrievalSettings
    profile: BusinessProfile
    # The merchant's own model key, still encrypted: only the provider factory opens it.
    llm_api_key_ciphertext: bytes | None = None


def _known(cls: type, raw: dict[str, Any] | None) -> dict[str, Any]:
    names = {f.name for f in fields(cls)}
    return {k: v for k, v in (raw or {}).items() if k in names and v is not None}


def llm_settings_from_json(raw: dict[str, Any] | None) -> LLMSettings:
    return LLMSettings(**_known(LLMSettings, raw))


async def load_bot(session: AsyncSession, tenant_id: TenantId, bot_id: BotId) -> LoadedBot:
    row = (
        await session.execute(
            select(Bot, Tenant)
            .join(Tenant, Tenant.id == Bot.tenant_id)
            .where(Bot.id == bot_id, Bot.tenant_id == tenant_id, Bot.is_active.is_(True))
        )
    ).first()
    if row is None:
        raise NotFound("bot not found")
    bot, tenant = row
    retrieval = RetrievalSettings.from_json(bot.retrieval_settings)
    config = BotConfig(
        name=bot.name,
        **{
            k: v
            for k, v in {
                "persona": bot.persona,
                "tone": bot.tone,
                "greeting": bot.greeting,
                "language_policy": bot.language_policy,
                "custom_instructions": bot.custom_instructions,
            }.items()
            if v
        },
        llm=llm_settings_from_json(bot.llm_settings),
        top_k=retrieval.top_k,
    )
    profile = BusinessProfile(
        name=tenant.name,
        website=tenant.website,
        currency=tenant.currency,
        language=tenant.language,
        support_email=tenant.support_email,
        shipping_policy=tenant.shipping_policy or "",
        returns_policy=tenant.returns_policy or "",
    )
    return LoadedBot(
        BotId(bot.id),
        bot.store_id,
        config,
        retrieval,
        profile,
        llm_api_key_ciphertext=bot.llm_api_key_ciphertext,
    )
