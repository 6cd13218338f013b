"""A bot row and its tenant's profile → the engine's per-bot configuration.

The JSON settings columns are validated by the merchant API on the way in, against the
bounds the engine's settings classes declare. Here missing keys (and nulls) take the
defaults, and a key the settings do not have (a row written before a setting was removed,
or by hand) is logged and ignored, so an old row never breaks answering.
"""

from __future__ import annotations

import functools
import logging
import uuid
from dataclasses import dataclass, fields
from typing import Any, TypeVar

from sqlalchemy import Select, and_, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.billing.entitlements import current_plan_id_sql
from core.billing.plans import version_limits
from core.billing.usage import month_start
from core.errors import NotFound
from core.ids import BotId, TenantId
from core.models import Bot, Tenant
from core.models.billing import UsageCounter, UsageMetric
from engine.answer_events import SearchScope
from engine.conversation import StoragePolicy
from engine.quota import NEUTRAL_FALLBACK, PlanNow, fallback_text
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
    # The tenant's plan now and its model tokens this month (only when asked for).
    plan: PlanNow | None = None
    # What a shopper reads when the bot cannot answer (the month's messages used up): the
    # bot's configured text, else the business's contact details (engine.quota).
    fallback: str = NEUTRAL_FALLBACK
    # What of the conversation may be stored, and masked how (engine.conversation).
    storage: StoragePolicy = StoragePolicy()

    @property
    def scope(self) -> SearchScope:
        return SearchScope(self.store_id, self.retrieval)


log = logging.getLogger(__name__)

_DEFAULTS = BotConfig(name="")

Settings = TypeVar("Settings", LLMSettings, RetrievalSettings)


def settings_from_json(
    cls: type[Settings], raw: dict[str, Any] | None, *, bot_id: BotId, column: str
) -> Settings:
    """`cls` from a bot's JSON `column`: the keys it has, the defaults for the rest."""
    names = {f.name for f in fields(cls)}
    values = {}
    for key, value in (raw or {}).items():
        if key not in names:
            _report_unknown_key(bot_id, column, key)
        elif value is not None:
            values[key] = value
    return cls(**values)


# Bots are loaded for every question: each unknown key is reported once per process (until
# a thousand others push it out), not once per question.
@functools.lru_cache(maxsize=1024)
def _report_unknown_key(bot_id: BotId, column: str, key: str) -> None:
    log.warning("bot %s: %s has no setting %r; the value is ignored", bot_id, column, key)


AnySelect = Select[*tuple[Any, ...]]


def _with_plan(statement: AnySelect, tenant_id: TenantId) -> AnySelect:
    """The bot's query, also reading the id of the plan that holds now (the entitlement
    rule, in SQL: core.billing.entitlements.current_plan_id_sql, as the widget session's
    query does) and the month's model-token counter (if any). Ids only: a plan version's
    limits are read once per process (core.billing.plans.version_limits)."""
    return statement.add_columns(current_plan_id_sql(tenant_id), UsageCounter.value).outerjoin(
        UsageCounter,
        and_(
            UsageCounter.tenant_id == Bot.tenant_id,
            UsageCounter.period_start == month_start(),
            UsageCounter.metric == UsageMetric.MODEL_TOKENS.value,
        ),
    )


async def _plan_of(session: AsyncSession, columns: list[Any]) -> PlanNow:
    plan_id, model_tokens = columns
    if plan_id is None:  # no plan at all: a database without the seeded plans
        raise NotFound("plan")
    code, limits = await version_limits(session, plan_id)
    return PlanNow(code, limits, model_tokens or 0)


async def load_bot(
    session: AsyncSession, tenant_id: TenantId, bot_id: BotId, *, with_plan: bool = False
) -> LoadedBot:
    """`with_plan`: also the tenant's plan and the month's model tokens (`LoadedBot.plan`),
    in the same query: the answer path's admission then costs no extra round trip."""
    statement = (
        select(Bot, Tenant)
        .join(Tenant, Tenant.id == Bot.tenant_id)
        .where(Bot.id == bot_id, Bot.tenant_id == tenant_id, Bot.is_active.is_(True))
    )
    row = (
        await session.execute(_with_plan(statement, tenant_id) if with_plan else statement)
    ).first()
    if row is None:
        raise NotFound("bot not found")
    # The columns depend on `with_plan`: read them by position, untyped.
    columns: list[Any] = list(row)
    bot, tenant = columns[0], columns[1]
    plan = await _plan_of(session, columns[2:]) if with_plan else None
    retrieval = settings_from_json(
        RetrievalSettings, bot.retrieval_settings, bot_id=bot_id, column="retrieval_settings"
    )
    llm = settings_from_json(LLMSettings, bot.llm_settings, bot_id=bot_id, column="llm_settings")
    # Empty texts take the defaults, as missing settings do.
    config = BotConfig(
        name=bot.name,
        persona=bot.persona or _DEFAULTS.persona,
        tone=bot.tone or _DEFAULTS.tone,
        greeting=bot.greeting or _DEFAULTS.greeting,
        # Only "business_language" changes anything (engine.prompts.system_prompt).
        language_policy=(
            "business_language"
            if bot.language_policy == "business_language"
            else _DEFAULTS.language_policy
        ),
        custom_instructions=bot.custom_instructions or _DEFAULTS.custom_instructions,
        llm=llm,
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
        bot_id,
        bot.store_id,
        config,
        retrieval,
        profile,
        llm_api_key_ciphertext=bot.llm_api_key_ciphertext,
        plan=plan,
        fallback=fallback_text(
            bot.fallback_message,
            support_email=tenant.support_email,
            support_phone=tenant.support_phone,
        ),
        storage=StoragePolicy(
            mask_contact_details=bot.mask_contact_details,
            consent_required=bot.consent_required,
        ),
    )
