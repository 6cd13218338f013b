"""Analytics rollups: anonymous aggregates of conversations, messages, feedback and widget
events, kept by database triggers (alembic 0007) so every writer is counted.

They survive the retention purge and a visitor's erasure of the raw rows (deletes never
decrement); `DELETE /v1/tenant` removes them with every other `tenant_id` table. The
counting itself is SQL (the triggers and `analytics_rebuild(tenant)`); these classes give
the tables to the metadata, the RLS catalogue and the reads."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import BigInteger, Date, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from core.models.base import Base, tenant_foreign_key

# The quarter hour rollups are bucketed on (alembic 0007's `analytics_bucket`): every
# current IANA offset is a whole number of them, so every zone's hours and days are too.
BUCKET_MINUTES = 15
# The counters of `analytics_quarter_hours` and `analytics_days`, in the API's names.
ROLLUP_COUNTERS = (
    "conversations",
    "messages",  # shopper messages
    "answers",
    "answered",  # status ok
    "unanswered",  # status no_answer: no relevant source, or a fallback
    "errors",
    "thumbs_up",
    "thumbs_down",
    "product_clicks",
    "added_to_cart",
)
ROLLUP_TOKENS = ("prompt_tokens", "completion_tokens")


def _tenant() -> Mapped[uuid.UUID]:
    return mapped_column(
        UUID(as_uuid=True), ForeignKey("tenants.id", ondelete="CASCADE"), primary_key=True
    )


def _bot() -> Mapped[uuid.UUID]:
    # The foreign key is (tenant_id, bot_id), in each table's `__table_args__`.
    return mapped_column(UUID(as_uuid=True), primary_key=True)


class _Counts:
    """Counts, tokens (priced per `model` at read time) and a sparse latency histogram
    `{bin: answers}` (dashboard_api/analytics/histogram.py)."""

    model: Mapped[str] = mapped_column(String(100), primary_key=True, server_default="")
    conversations: Mapped[int] = mapped_column(Integer, nullable=False, server_default="0")
    messages: Mapped[int] = mapped_column(Integer, nullable=False, server_default="0")
    answers: Mapped[int] = mapped_column(Integer, nullable=False, server_default="0")
    answered: Mapped[int] = mapped_column(Integer, nullable=False, server_default="0")
    unanswered: Mapped[int] = mapped_column(Integer, nullable=False, server_default="0")
    errors: Mapped[int] = mapped_column(Integer, nullable=False, server_default="0")
    thumbs_up: Mapped[int] = mapped_column(Integer, nullable=False, server_default="0")
    thumbs_down: Mapped[int] = mapped_column(Integer, nullable=False, server_default="0")
    product_clicks: Mapped[int] = mapped_column(Integer, nullable=False, server_default="0")
    added_to_cart: Mapped[int] = mapped_column(Integer, nullable=False, server_default="0")
    prompt_tokens: Mapped[int] = mapped_column(BigInteger, nullable=False, server_default="0")
    completion_tokens: Mapped[int] = mapped_column(BigInteger, nullable=False, server_default="0")
    latency_bins: Mapped[dict[str, Any]] = mapped_column(JSONB, nullable=False, server_default="{}")


class AnalyticsQuarterHour(_Counts, Base):
    """Per tenant, bot, UTC quarter hour and model: the zone-independent record."""

    __tablename__ = "analytics_quarter_hours"
    __table_args__ = (
        tenant_foreign_key("analytics_quarter_hours", "bot_id", "bots", ondelete="CASCADE"),
    )

    tenant_id: Mapped[uuid.UUID] = _tenant()
    bucket_start: Mapped[datetime] = mapped_column(DateTime(timezone=True), primary_key=True)
    bot_id: Mapped[uuid.UUID] = _bot()


class AnalyticsDay(_Counts, Base):
    """Per tenant, bot, calendar day in the business's time zone and model; recounted from
    the quarter hours when the business changes its zone."""

    __tablename__ = "analytics_days"
    __table_args__ = (tenant_foreign_key("analytics_days", "bot_id", "bots", ondelete="CASCADE"),)

    tenant_id: Mapped[uuid.UUID] = _tenant()
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    bot_id: Mapped[uuid.UUID] = _bot()


class AnalyticsProductDay(Base):
    """Per tenant, bot, product and business day: answers that showed its card, clicks on
    it, adds to cart; with the newest card's title and link (for products since removed
    from the catalogue). No foreign key to products: the counts outlive the product."""

    __tablename__ = "analytics_product_days"
    __table_args__ = (
        Index(
            "ix_analytics_product_days_tenant_id_product_id_day", "tenant_id", "product_id", "day"
        ),
        tenant_foreign_key("analytics_product_days", "bot_id", "bots", ondelete="CASCADE"),
    )

    tenant_id: Mapped[uuid.UUID] = _tenant()
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    bot_id: Mapped[uuid.UUID] = _bot()
    product_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    shown: Mapped[int] = mapped_column(Integer, nullable=False, server_default="0")
    clicks: Mapped[int] = mapped_column(Integer, nullable=False, server_default="0")
    added_to_cart: Mapped[int] = mapped_column(Integer, nullable=False, server_default="0")
    title: Mapped[str | None] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(Text)


class AnalyticsProductMonth(Base):
    """`analytics_product_days` added up per local month (the day's month), so a long
    window reads its whole months from here and only its partial months' days."""

    __tablename__ = "analytics_product_months"
    __table_args__ = (
        tenant_foreign_key("analytics_product_months", "bot_id", "bots", ondelete="CASCADE"),
    )

    tenant_id: Mapped[uuid.UUID] = _tenant()
    month: Mapped[date] = mapped_column(Date, primary_key=True)  # the month's first day
    bot_id: Mapped[uuid.UUID] = _bot()
    product_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    shown: Mapped[int] = mapped_column(Integer, nullable=False, server_default="0")
    clicks: Mapped[int] = mapped_column(Integer, nullable=False, server_default="0")
    added_to_cart: Mapped[int] = mapped_column(Integer, nullable=False, server_default="0")
