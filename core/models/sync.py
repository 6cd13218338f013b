"""Sync jobs (progress the dashboard polls) and received webhook events (idempotency)."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    CheckConstraint,
    DateTime,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from core.models.base import Base, CreatedAt, TenantScoped, UUIDPrimaryKey, tenant_foreign_key
from core.models.choices import one_of


class SyncMode(StrEnum):
    FULL = "full"
    INCREMENTAL = "incremental"  # what changed since the store's sync cursor
    RECONCILE = "reconcile"  # a full walk that compares modification times first


class SyncTrigger(StrEnum):
    MANUAL = "manual"  # the CLI or the dashboard
    SCHEDULE = "schedule"  # the worker's periodic sync task


class SyncJobStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    CANCELLED = "cancelled"


# A job in one of these holds its store's lock (the partial unique index below).
ACTIVE_JOB_STATUSES = (SyncJobStatus.QUEUED, SyncJobStatus.RUNNING)
ACTIVE_JOB_PREDICATE = one_of("status", ACTIVE_JOB_STATUSES)


class WebhookEventStatus(StrEnum):
    RECEIVED = "received"
    PROCESSED = "processed"
    FAILED = "failed"
    # Acknowledged and deliberately not applied (the reason in `error`): the store is
    # suspended by the plan, or the product is new and the plan's product quota is full.
    NOT_APPLIED = "not_applied"


class SyncJob(UUIDPrimaryKey, TenantScoped, CreatedAt, Base):
    __tablename__ = "sync_jobs"
    __table_args__ = (
        CheckConstraint(one_of("mode", SyncMode), name="mode"),
        CheckConstraint(one_of("status", SyncJobStatus), name="status"),
        # The per-store lock: at most one queued or running job per store (the claim's
        # ON CONFLICT target, ingestion.sync.jobs).
        Index(
            "uq_sync_jobs_one_active_per_store",
            "tenant_id",
            "store_id",
            unique=True,
            postgresql_where=text(ACTIVE_JOB_PREDICATE),
        ),
        Index("ix_sync_jobs_store_id_created_at", "store_id", "created_at"),
        tenant_foreign_key("sync_jobs", "store_id", "store_connections", ondelete="CASCADE"),
    )

    store_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), nullable=False)
    mode: Mapped[str] = mapped_column(String(16), nullable=False)
    trigger: Mapped[str] = mapped_column(
        String(16), nullable=False, server_default=SyncTrigger.MANUAL.value
    )
    status: Mapped[str] = mapped_column(
        String(16), nullable=False, server_default=SyncJobStatus.QUEUED.value
    )
    total: Mapped[int | None] = mapped_column(Integer)
    processed: Mapped[int] = mapped_column(Integer, nullable=False, server_default="0")
    # seen, created, updated, unchanged, deleted, chunks_written, errors
    counts: Mapped[dict[str, int]] = mapped_column(JSONB, nullable=False, server_default="{}")
    # Where a crashed run resumes (the last fully applied page and the run's start time).
    checkpoint: Mapped[dict[str, Any]] = mapped_column(JSONB, nullable=False, server_default="{}")
    error: Mapped[str | None] = mapped_column(Text)
    # What the run could not do without failing: [{"code": "product_quota", "detail": ...}].
    warnings: Mapped[list[dict[str, Any]]] = mapped_column(
        JSONB, nullable=False, server_default="[]"
    )
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    heartbeat_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class WebhookEvent(UUIDPrimaryKey, TenantScoped, Base):
    __tablename__ = "webhook_events"
    __table_args__ = (
        UniqueConstraint("tenant_id", "source", "external_id"),
        tenant_foreign_key("webhook_events", "store_id", "store_connections", ondelete="CASCADE"),
    )

    source: Mapped[str] = mapped_column(String(32), nullable=False)  # woocommerce | stripe
    external_id: Mapped[str] = mapped_column(String(200), nullable=False)
    topic: Mapped[str] = mapped_column(String(100), nullable=False)
    store_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    payload: Mapped[dict[str, Any]] = mapped_column(JSONB, nullable=False)
    status: Mapped[str] = mapped_column(
        String(16), nullable=False, server_default=WebhookEventStatus.RECEIVED.value
    )
    error: Mapped[str | None] = mapped_column(Text)
    received_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), nullable=False, server_default=text("now()")
    )
    processed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
