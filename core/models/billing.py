"""Plans (global, versioned), subscriptions, usage counters and model spend (per tenant).

A plan's `limits` JSON is parsed by `core.billing.plans.PlanLimits`; a change of limits is
a new version of the plan (same `code`, next `version`), so a subscriber stays on the
version they bought until they change plan. A tenant without a subscription row, or whose
subscription is not in good standing, is on the newest version of the Free plan.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from core.models.base import Base, TenantScoped, Timestamps, UUIDPrimaryKey
from core.models.choices import one_of


class SubscriptionStatus(StrEnum):
    """Stripe's subscription statuses, plus `none` (a customer with no subscription yet)
    and `manual` (a plan set by an operator with `shopbot tenants set-plan`)."""

    NONE = "none"
    MANUAL = "manual"
    INCOMPLETE = "incomplete"
    INCOMPLETE_EXPIRED = "incomplete_expired"
    TRIALING = "trialing"
    ACTIVE = "active"
    PAST_DUE = "past_due"
    UNPAID = "unpaid"
    CANCELED = "canceled"
    PAUSED = "paused"


class UsageMetric(StrEnum):
    """What `usage_counters` counts per tenant and month (the month starts on the 1st, UTC)."""

    MESSAGES = "messages"  # shopper messages admitted (widget chat and merchant previews)
    MODEL_TOKENS = "model_tokens"  # prompt + completion tokens on the platform's model key


class Plan(UUIDPrimaryKey, Timestamps, Base):
    __tablename__ = "plans"
    __table_args__ = (UniqueConstraint("code", "version"),)

    code: Mapped[str] = mapped_column(String(64), nullable=False)
    version: Mapped[int] = mapped_column(Integer, nullable=False, server_default="1")
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    monthly_price_cents: Mapped[int] = mapped_column(Integer, nullable=False)
    currency: Mapped[str] = mapped_column(String(3), nullable=False, server_default="USD")
    # The Stripe price a Checkout Session subscribes to; NULL: not sold through Stripe.
    stripe_price_id: Mapped[str | None] = mapped_column(String(200))
    limits: Mapped[dict[str, Any]] = mapped_column(JSONB, nullable=False, server_default="{}")
    # Only active versions are offered; subscribers of an older version keep its limits.
    is_active: Mapped[bool] = mapped_column(Boolean, nullable=False, server_default="true")


class Subscription(UUIDPrimaryKey, TenantScoped, Timestamps, Base):
    """A tenant's one billing row: its Stripe customer, subscription and the plan it pays for."""

    __tablename__ = "subscriptions"
    __table_args__ = (
        UniqueConstraint("tenant_id"),
        # Stripe's id leads, for look-ups by it; tenant_id is in every key (alembic 0012).
        UniqueConstraint("stripe_subscription_id", "tenant_id"),
        CheckConstraint(one_of("status", SubscriptionStatus), name="status"),
    )

    plan_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("plans.id"), nullable=False
    )
    status: Mapped[str] = mapped_column(String(32), nullable=False)
    stripe_customer_id: Mapped[str | None] = mapped_column(String(200), index=True)
    stripe_subscription_id: Mapped[str | None] = mapped_column(String(200))
    stripe_price_id: Mapped[str | None] = mapped_column(String(200))
    current_period_start: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    current_period_end: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    cancel_at_period_end: Mapped[bool] = mapped_column(
        Boolean, nullable=False, server_default="false"
    )
    # After a failed payment the plan's limits hold until then; past it, Free's.
    grace_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # When the Stripe state applied here was current (the event's `created`, or the time
    # the subscription was fetched): an older event never overwrites a newer state.
    stripe_state_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class UsageCounter(UUIDPrimaryKey, TenantScoped, Base):
    __tablename__ = "usage_counters"
    __table_args__ = (UniqueConstraint("tenant_id", "period_start", "metric"),)

    period_start: Mapped[date] = mapped_column(Date, nullable=False)
    metric: Mapped[str] = mapped_column(String(64), nullable=False)
    value: Mapped[int] = mapped_column(BigInteger, nullable=False, server_default="0")


class ModelUsageDaily(UUIDPrimaryKey, TenantScoped, Base):
    """Model tokens and their cost per tenant, bot, day (UTC) and model.

    `bot_id` has no foreign key on purpose: spend outlives a deleted bot (the tenant's own
    deletion still removes it, through `tenant_id`)."""

    __tablename__ = "model_usage_daily"
    __table_args__ = (UniqueConstraint("tenant_id", "bot_id", "day", "model"),)

    bot_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), nullable=False)
    day: Mapped[date] = mapped_column(Date, nullable=False)
    model: Mapped[str] = mapped_column(String(200), nullable=False)
    answers: Mapped[int] = mapped_column(Integer, nullable=False, server_default="0")
    prompt_tokens: Mapped[int] = mapped_column(BigInteger, nullable=False, server_default="0")
    completion_tokens: Mapped[int] = mapped_column(BigInteger, nullable=False, server_default="0")
    # Millionths of a US dollar, from core/billing/model_prices.json at the time of the answer.
    cost_micro_usd: Mapped[int] = mapped_column(BigInteger, nullable=False, server_default="0")
    # Tokens on the platform's key count against the plan's budget; a bot's own key's do not.
    platform_tokens: Mapped[int] = mapped_column(BigInteger, nullable=False, server_default="0")
