"""What a tenant's plan allows a bot: how many may be active, which models it may use on the
platform's key, and how high its rate-limit overrides may go.

The bot count is a row quota (core.billing.room): creating an active bot or enabling one
takes a slot under the tenant's quota lock, in the transaction that writes the row. Models
are the plan's only when the platform pays for them: a bot with its own key (or answering
offline) may name any model. A rate-limit override above the plan's ceiling is refused
here (422); rows written before the ceiling existed are capped when the widget API loads
them (api.rate_limit.limits_for_bot).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from core.billing.entitlements import Entitlement, entitlement_for
from core.billing.plans import PlanInfo, RateCeiling, cheapest_allowing, offered_plans
from core.billing.room import require_room
from core.errors import QuotaExceeded, ValidationFailed
from core.ids import TenantId
from engine.types import LLMSettings

DEFAULT_MODEL = LLMSettings().model


async def require_bot_slot(session: AsyncSession, tenant_id: TenantId) -> Entitlement:
    """402 unless one more active bot fits the plan (the lock holds until commit)."""
    return await require_room(session, tenant_id, "bots")


def _uses_platform_model(llm: Mapping[str, Any], has_own_key: bool) -> bool:
    return not has_own_key and llm.get("provider") != "offline"


async def check_model_allowed(
    session: AsyncSession,
    tenant_id: TenantId,
    llm: Mapping[str, Any],
    *,
    has_own_key: bool,
    entitlement: Entitlement | None = None,
) -> None:
    """402 `quota_exceeded` (quota "models") when the platform's key would answer with a
    model the plan does not include."""
    if not _uses_platform_model(llm, has_own_key):
        return
    model = str(llm.get("model") or DEFAULT_MODEL)
    entitlement = entitlement or await entitlement_for(session, tenant_id)
    limits = entitlement.limits
    if limits.allows_model(model):
        return
    upgrade = cheapest_allowing(
        await offered_plans(session), entitlement.plan, lambda limits: limits.allows_model(model)
    )
    detail = (
        f"The {entitlement.plan.name} plan does not include the model {model} on the "
        f"platform's key (allowed: {', '.join(limits.models)}); use your own API key for it"
    )
    detail += f", or the {upgrade.name} plan." if upgrade else "."
    raise QuotaExceeded(
        detail,
        quota="models",
        model=model,
        allowed=list(limits.models),
        plan=entitlement.plan.code,
        upgrade_plan=upgrade.code if upgrade else None,
    )


def check_rate_ceilings(
    rate_limits: Mapping[str, Any], ceilings: Mapping[str, RateCeiling], plan: PlanInfo
) -> None:
    """422 naming the first override above the plan's ceiling for its scope."""
    errors = []
    for scope, rule in rate_limits.items():
        ceiling = ceilings.get(scope)
        if ceiling is None or not isinstance(rule, Mapping):
            continue
        for key, cap in (("per_minute", ceiling.per_minute), ("burst", ceiling.burst)):
            value = rule.get(key)
            if isinstance(value, int | float) and value > cap:
                errors.append(
                    {
                        "location": "body",
                        "field": f"rate_limits.{scope}.{key}",
                        "message": f"the {plan.name} plan allows at most {cap:g}",
                        "type": "plan_ceiling",
                        "ceiling": cap,
                    }
                )
    if errors:
        first = errors[0]
        raise ValidationFailed(
            f"{first['field']}: {first['message']}", errors=errors, plan=plan.code
        )


async def check_rate_limits(
    session: AsyncSession,
    tenant_id: TenantId,
    rate_limits: Mapping[str, Any],
    entitlement: Entitlement | None = None,
) -> None:
    if not rate_limits:
        return
    entitlement = entitlement or await entitlement_for(session, tenant_id)
    check_rate_ceilings(rate_limits, entitlement.limits.rate_limit_ceiling, entitlement.plan)
