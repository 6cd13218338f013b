"""SQL for widget sessions: the pre-tenant key lookup and the bot's public and policy rows."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Uuid, bindparam, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from core.billing.entitlements import current_plan_id_sql
from core.billing.plans import RateCeiling, known_rate_ceiling, version_limits
from core.db.database import Database
from core.db.one_trip import OneTripRead
from core.ids import TenantId
from core.models import Bot


@dataclass(frozen=True, slots=True)
class WidgetKeyMatch:
    tenant_id: uuid.UUID
    bot_id: uuid.UUID
    allowed_origins: list[str]
    is_active: bool


@dataclass(frozen=True, slots=True)
class PublicBotRow:
    name: str
    greeting: str | None
    theme: dict[str, Any]
    rate_limits: dict[str, Any]
    rate_ceiling: Mapping[str, RateCeiling]
    consent_required: bool = False
    consent_text: str | None = None


@dataclass(frozen=True, slots=True)
class BotPolicyRow:
    is_active: bool
    allowed_origins: list[str]
    rate_limits: dict[str, Any]
    store_id: uuid.UUID | None
    # The plan's ceiling per rate-limit scope, read with the bot (no second round trip).
    rate_ceiling: Mapping[str, RateCeiling]
    # The bot's `retrieval_settings` column: a new conversation's search starts with them
    # (engine.answer_events.Question.scope), before the answer has loaded the bot.
    retrieval_settings: Mapping[str, Any]


async def _ceiling(session: AsyncSession, plan_id: uuid.UUID | None) -> Mapping[str, RateCeiling]:
    # No plan row at all (a database without the seeded plans): nothing to cap with.
    if plan_id is None:
        return {}
    _, limits = await version_limits(session, plan_id)
    return limits.rate_limit_ceiling


_BY_WIDGET_KEY = text(
    "SELECT tenant_id, bot_id, allowed_origins, is_active FROM app_bot_by_widget_key(:key)"
)


async def find_by_widget_key(session: AsyncSession, widget_key: str) -> WidgetKeyMatch | None:
    """In a system session: the SECURITY DEFINER lookup that precedes any tenant."""
    row = (await session.execute(_BY_WIDGET_KEY, {"key": widget_key})).first()
    if row is None:
        return None
    return WidgetKeyMatch(
        tenant_id=row.tenant_id,
        bot_id=row.bot_id,
        allowed_origins=list(row.allowed_origins or []),
        is_active=bool(row.is_active),
    )


async def get_public_bot(
    session: AsyncSession, tenant_id: TenantId, bot_id: uuid.UUID
) -> PublicBotRow | None:
    statement = select(
        Bot.name,
        Bot.greeting,
        Bot.theme,
        Bot.rate_limits,
        Bot.consent_required,
        Bot.consent_text,
        current_plan_id_sql(tenant_id).label("plan_id"),
    ).where(Bot.tenant_id == tenant_id, Bot.id == bot_id, Bot.is_active.is_(True))
    row = (await session.execute(statement)).first()
    if row is None:
        return None
    return PublicBotRow(
        name=row.name,
        greeting=row.greeting,
        theme=row.theme or {},
        rate_limits=row.rate_limits or {},
        rate_ceiling=await _ceiling(session, row.plan_id),
        consent_required=row.consent_required,
        consent_text=row.consent_text,
    )


# Read on every widget request: one round trip (core.db.one_trip), not a unit of work's four.
_TENANT, _BOT = bindparam("tenant_id", type_=Uuid), bindparam("bot_id", type_=Uuid)
_POLICY = OneTripRead(
    select(
        Bot.is_active,
        Bot.allowed_origins,
        Bot.rate_limits,
        Bot.store_id,
        current_plan_id_sql(_TENANT),
        Bot.retrieval_settings,
    ).where(Bot.tenant_id == _TENANT, Bot.id == _BOT)
)


async def read_bot_policy(
    db: Database, tenant_id: TenantId, bot_id: uuid.UUID
) -> BotPolicyRow | None:
    rows = await _POLICY.rows(db, tenant_id, {"tenant_id": tenant_id, "bot_id": bot_id})
    if not rows:
        return None
    is_active, allowed_origins, rate_limits, store_id, plan_id, retrieval_settings = rows[0]
    ceiling = known_rate_ceiling(plan_id)
    if ceiling is None:  # a plan version this process has not read yet
        async with db.tenant_session(tenant_id) as session:
            ceiling = await _ceiling(session, plan_id)
    return BotPolicyRow(
        is_active=bool(is_active),
        allowed_origins=list(allowed_origins or []),
        rate_limits=rate_limits or {},
        store_id=store_id,
        rate_ceiling=ceiling,
        retrieval_settings=retrieval_settings or {},
    )
