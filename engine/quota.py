"""A shopper message against the tenant's plan: admitted or refused, and whether the
platform's model may still be used for it.

Both checks run inside the answer service's first transaction (the one that writes the
shopper's message). The plan and the month's model tokens are read with the bot, in the
query that loads it (the entitlement rule in SQL, `current_plan_id_sql`), so
admission adds one statement: the atomic conditional upsert of `core.billing.usage.admit`.
No extra transaction, and no lock beyond the counter row's, held from that last statement
to the commit.

Refusals are for shoppers: the error names the quota and carries the bot's fallback text
(contact details), never the merchant's limit or usage. Those are kept as attributes for
callers that answer a merchant (the dashboard's preview).
"""

from __future__ import annotations

import functools
import logging
import uuid
from dataclasses import dataclass, replace

from sqlalchemy.ext.asyncio import AsyncSession

from core.billing import usage
from core.billing.plans import PlanLimits
from core.errors import QuotaExceeded
from core.ids import TenantId
from core.models.billing import UsageMetric
from engine.types import LLMSettings

log = logging.getLogger(__name__)

MESSAGES_QUOTA = "messages_per_month"
NEUTRAL_FALLBACK = (
    "Our assistant can't take new questions right now. Please try again later or contact "
    "the store directly."
)
REFUSED_DETAIL = "This assistant can't take new questions right now."


class MessageQuotaExhausted(QuotaExceeded):
    """The tenant's shopper messages for the month are used up (402 `quota_exceeded`).

    The problem body carries `quota` and `fallback` only; `limit`, `used` and `plan` are
    attributes, not body members, so a shopper never sees the merchant's numbers."""

    def __init__(self, fallback: str, *, limit: int, used: int, plan: str) -> None:
        super().__init__(REFUSED_DETAIL, quota=MESSAGES_QUOTA, fallback=fallback)
        self.fallback = fallback
        self.limit = limit
        self.used = used
        self.plan = plan


def fallback_text(
    configured: str | None, *, support_email: str | None, support_phone: str | None
) -> str:
    """What a shopper reads when the bot cannot answer: the merchant's own words, else their
    contact details, else a neutral sentence (never a raw error)."""
    if configured and configured.strip():
        return configured.strip()
    contacts = [c.strip() for c in (support_email, support_phone) if c and c.strip()]
    if contacts:
        return (
            "Our assistant can't take new questions right now. "
            f"You can reach us at {' or '.join(contacts)}."
        )
    return NEUTRAL_FALLBACK


@dataclass(frozen=True, slots=True)
class PlanNow:
    """What admission needs, read with the bot in the same query (engine.bot_config):
    the plan whose limits hold now and the month's model tokens on the platform's key."""

    code: str
    limits: PlanLimits
    model_tokens_used: int


@dataclass(frozen=True, slots=True)
class Admitted:
    # The month's model-token budget is spent: answer offline, without calling the model.
    over_token_budget: bool


async def admit_message(
    session: AsyncSession,
    tenant_id: TenantId,
    now: PlanNow,
    *,
    fallback: str,
    on_platform_key: bool,
    counted: bool = True,
) -> Admitted:
    """Count one shopper message, or raise `MessageQuotaExhausted` (the caller's transaction
    then rolls back, so nothing of the refused message is kept). One statement: call it
    last in the transaction, as the counter row it updates stays locked until commit.
    `counted=False`: a message counted before, answered again (a retry,
    engine.question_retry); only the model-token budget decides how it is answered."""
    limits = now.limits
    if counted:
        admission = await usage.admit(
            session, tenant_id, UsageMetric.MESSAGES, limit=limits.messages_per_month
        )
        if not admission.admitted:
            raise MessageQuotaExhausted(
                fallback, limit=limits.messages_per_month, used=admission.used, plan=now.code
            )
    # A bot's own key (or no model at all) spends nothing of the platform's budget.
    over = on_platform_key and now.model_tokens_used >= limits.model_tokens_per_month
    if over:
        _report_over_budget(tenant_id)
    return Admitted(over_token_budget=over)


_reported_over_budget: set[TenantId] = set()


def _report_over_budget(tenant_id: TenantId) -> None:
    # Once per tenant and process: every question of a tenant over budget would log it.
    if tenant_id in _reported_over_budget:
        return
    _reported_over_budget.add(tenant_id)
    log.warning(
        "tenant %s used its plan's model-token budget for the month; answering offline "
        "on the platform's key until it resets",
        tenant_id,
    )


def model_within_plan(bot_id: uuid.UUID, settings: LLMSettings, limits: PlanLimits) -> LLMSettings:
    """`settings` unchanged when the plan includes its model (on the platform's key), else
    the same settings with the plan's first model: a bot that chose a larger model before a
    downgrade keeps answering, on what the plan pays for. Logged once per bot and model."""
    if limits.allows_model(settings.model) or not limits.models:
        return settings
    _report_capped_model(str(bot_id), settings.model, limits.models[0])
    return replace(settings, model=limits.models[0])


@functools.lru_cache(maxsize=1024)
def _report_capped_model(bot_id: str, model: str, instead: str) -> None:
    log.warning("bot %s: its plan does not include %s; answering with %s", bot_id, model, instead)
