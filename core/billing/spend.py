"""What each answer cost: tokens in and out, priced, per tenant, bot, day (UTC) and model.

Written in the transaction that stores the answer, as one upsert; tokens on the platform's
model key also go to the month's `model_tokens` counter that the plan's budget reads.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from core.billing import usage
from core.billing.prices import cost_micro_usd
from core.ids import TenantId
from core.models.billing import UsageMetric


@dataclass(frozen=True, slots=True)
class AnswerSpend:
    bot_id: uuid.UUID
    model: str
    prompt_tokens: int
    completion_tokens: int
    on_platform_key: bool  # False: the bot's own key paid (not counted against the budget)


_UPSERT = text("""
    INSERT INTO model_usage_daily AS d (id, tenant_id, bot_id, day, model, answers,
        prompt_tokens, completion_tokens, cost_micro_usd, platform_tokens)
    VALUES (:id, :tenant_id, :bot_id, :day, :model, 1, :prompt, :completion, :cost, :platform)
    ON CONFLICT (tenant_id, bot_id, day, model) DO UPDATE SET
        answers = d.answers + 1,
        prompt_tokens = d.prompt_tokens + EXCLUDED.prompt_tokens,
        completion_tokens = d.completion_tokens + EXCLUDED.completion_tokens,
        cost_micro_usd = d.cost_micro_usd + EXCLUDED.cost_micro_usd,
        platform_tokens = d.platform_tokens + EXCLUDED.platform_tokens
""")


async def record_spend(
    session: AsyncSession, tenant_id: TenantId, spend: AnswerSpend, *, now: datetime | None = None
) -> None:
    now = now or datetime.now(UTC)
    tokens = spend.prompt_tokens + spend.completion_tokens
    platform = tokens if spend.on_platform_key else 0
    await session.execute(
        _UPSERT,
        {
            "id": uuid.uuid4(),
            "tenant_id": tenant_id,
            "bot_id": spend.bot_id,
            "day": now.astimezone(UTC).date(),
            "model": spend.model,
            "prompt": spend.prompt_tokens,
            "completion": spend.completion_tokens,
            "cost": cost_micro_usd(spend.model, spend.prompt_tokens, spend.completion_tokens),
            "platform": platform,
        },
    )
    if platform:
        await usage.add(session, tenant_id, UsageMetric.MODEL_TOKENS, platform, now=now)
