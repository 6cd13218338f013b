"""A plan's quotas, typed, and the queries that find plans."""

from __future__ import annotations

import math
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.errors import NotFound
from core.models.billing import Plan

FREE_PLAN = "free"
ANY_MODEL = "*"


@dataclass(frozen=True, slots=True)
class RateCeiling:
    per_minute: float
    burst: int


@dataclass(frozen=True, slots=True)
class PlanLimits:
    """Every quota a plan sets. Counts are inclusive ceilings: `bots=3` allows three."""

    messages_per_month: int
    products: int
    bots: int
    stores: int
    knowledge_documents: int
    knowledge_bytes: int
    seats: int
    sync_interval_minutes: int  # the shortest time between two scheduled syncs of a store
    models: tuple[str, ...]  # models allowed on the platform's key; ("*",) allows any
    model_tokens_per_month: int
    rate_limit_ceiling: Mapping[str, RateCeiling]  # per widget API scope

    def allows_model(self, model: str) -> bool:
        return ANY_MODEL in self.models or model in self.models

    def count_limit(self, quota: str) -> int:
        value = getattr(self, quota)
        if not isinstance(value, int):
            raise KeyError(quota)
        return value

    def as_json(self) -> dict[str, Any]:
        return {
            "messages_per_month": self.messages_per_month,
            "products": self.products,
            "bots": self.bots,
            "stores": self.stores,
            "knowledge_documents": self.knowledge_documents,
            "knowledge_bytes": self.knowledge_bytes,
            "seats": self.seats,
            "sync_interval_minutes": self.sync_interval_minutes,
            "models": list(self.models),
            "model_tokens_per_month": self.model_tokens_per_month,
            "rate_limit_ceiling": {
                scope: {"per_minute": ceiling.per_minute, "burst": ceiling.burst}
                for scope, ceiling in self.rate_limit_ceiling.items()
            },
        }


# The quotas counted against a number, in the order a merchant reads them.
COUNTED_QUOTAS = (
    "messages_per_month",
    "products",
    "bots",
    "stores",
    "knowledge_documents",
    "knowledge_bytes",
    "seats",
    "model_tokens_per_month",
)


def parse_limits(raw: Mapping[str, Any]) -> PlanLimits:
    """A plan row's `limits` JSON; a missing or malformed key is a data error, not a default
    (a plan without a limit must not quietly become unlimited)."""
    counts = {}
    for key in (*COUNTED_QUOTAS, "sync_interval_minutes"):
        value = raw.get(key)
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ValueError(f"plan limit {key!r} must be a non-negative integer, got {value!r}")
        counts[key] = value
    models = raw.get("models")
    if not isinstance(models, list) or not all(isinstance(m, str) for m in models):
        raise ValueError("plan limit 'models' must be a list of model names")
    ceilings = {}
    for scope, value in (raw.get("rate_limit_ceiling") or {}).items():
        per_minute, burst = value.get("per_minute"), value.get("burst")
        if not isinstance(per_minute, int | float) or not isinstance(burst, int):
            raise ValueError(f"rate_limit_ceiling[{scope!r}] needs per_minute and burst")
        if not math.isfinite(per_minute) or per_minute <= 0 or burst < 1:
            raise ValueError(f"rate_limit_ceiling[{scope!r}] needs positive numbers")
        ceilings[scope] = RateCeiling(per_minute=float(per_minute), burst=burst)
    return PlanLimits(**counts, models=tuple(models), rate_limit_ceiling=ceilings)


@dataclass(frozen=True, slots=True)
class PlanInfo:
    id: Any
    code: str
    version: int
    name: str
    monthly_price_cents: int
    currency: str
    stripe_price_id: str | None
    limits: PlanLimits

    @classmethod
    def of(cls, row: Plan) -> PlanInfo:
        return cls(
            id=row.id,
            code=row.code,
            version=row.version,
            name=row.name,
            monthly_price_cents=row.monthly_price_cents,
            currency=row.currency,
            stripe_price_id=row.stripe_price_id,
            limits=parse_limits(row.limits),
        )


# A plan version's code and limits never change (a change of limits is a new version, see
# core.models.billing), so a process keeps them once read: the answer path reads only the
# plan's id with the bot, not its JSON.
_VERSION_LIMITS: dict[uuid.UUID, tuple[str, PlanLimits]] = {}


def known_rate_ceiling(plan_id: uuid.UUID | None) -> Mapping[str, RateCeiling] | None:
    """The rate ceiling of a plan version this process has read (`version_limits`); {} for
    no plan at all (a database without the seeded plans); None when not read yet."""
    if plan_id is None:
        return {}
    known = _VERSION_LIMITS.get(plan_id)
    return None if known is None else known[1].rate_limit_ceiling


async def version_limits(session: AsyncSession, plan_id: uuid.UUID) -> tuple[str, PlanLimits]:
    """The code and limits of the plan version `plan_id` (read once per process)."""
    known = _VERSION_LIMITS.get(plan_id)
    if known is None:
        row = (
            await session.execute(select(Plan.code, Plan.limits).where(Plan.id == plan_id))
        ).first()
        if row is None:
            raise NotFound("plan")
        known = _VERSION_LIMITS[plan_id] = (row.code, parse_limits(row.limits))
    return known


async def offered_plans(session: AsyncSession) -> list[PlanInfo]:
    """The newest active version of every plan, cheapest first."""
    rows = (
        await session.scalars(
            select(Plan).where(Plan.is_active.is_(True)).order_by(Plan.code, Plan.version.desc())
        )
    ).all()
    newest: dict[str, Plan] = {}
    for row in rows:  # few rows: the first of each code is its newest version
        newest.setdefault(row.code, row)
    plans = [PlanInfo.of(row) for row in newest.values()]
    return sorted(plans, key=lambda plan: (plan.monthly_price_cents, plan.code))


async def offered_plan(session: AsyncSession, code: str) -> PlanInfo:
    """The newest active version of the plan `code`; `NotFound("plan")` when none."""
    row = await session.scalar(
        select(Plan)
        .where(Plan.code == code, Plan.is_active.is_(True))
        .order_by(Plan.version.desc())
        .limit(1)
    )
    if row is None:
        raise NotFound("plan")
    return PlanInfo.of(row)


async def plan_by_stripe_price(session: AsyncSession, price_id: str) -> PlanInfo | None:
    """The plan version a Stripe price subscribes to (older versions included: a subscriber
    keeps the version they bought)."""
    row = await session.scalar(
        select(Plan).where(Plan.stripe_price_id == price_id).order_by(Plan.version.desc()).limit(1)
    )
    return None if row is None else PlanInfo.of(row)


def cheapest_allowing(
    plans: list[PlanInfo], current: PlanInfo, allows: Callable[[PlanLimits], bool]
) -> PlanInfo | None:
    """The cheapest of `plans` (cheapest first, as `offered_plans` gives them), other than
    `current` and not cheaper than it, whose limits `allows` (None: no plan does)."""
    for plan in plans:
        if plan.code == current.code or plan.monthly_price_cents < current.monthly_price_cents:
            continue
        if allows(plan.limits):
            return plan
    return None
