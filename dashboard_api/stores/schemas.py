from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal
from urllib.parse import urlsplit

import httpx
from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator

from core.models.sync import SyncJobStatus
from ingestion.sync.jobs import SyncJobRecord

SyncMode = Literal["full", "incremental", "reconcile"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class StoreCredentials(_Strict):
    """WooCommerce → Settings → Advanced → REST API. Encrypted at rest, never returned."""

    consumer_key: SecretStr = Field(min_length=1, max_length=200)
    consumer_secret: SecretStr = Field(min_length=1, max_length=200)
    webhook_secret: SecretStr | None = Field(
        default=None,
        min_length=8,
        max_length=200,
        description="Default: generated (and kept) by Shopbot",
    )


class StoreConnect(StoreCredentials):
    url: str = Field(
        min_length=1,
        max_length=500,
        description="The store's address",
        examples=["https://shop.example.com"],
    )
    name: str | None = Field(default=None, max_length=200)

    @field_validator("url")
    @classmethod
    def _url(cls, value: str) -> str:
        value = value.strip()
        problem = "must be the store's address, such as https://shop.example.com"
        if not value.lower().startswith(("http://", "https://")) or any(c.isspace() for c in value):
            raise ValueError(problem)
        try:
            parts = urlsplit(value)
            host = parts.hostname
            parts.port  # noqa: B018 - raises on a malformed port
            httpx.URL(value)
        except (ValueError, httpx.InvalidURL):
            raise ValueError(problem) from None
        if not host or parts.username or parts.password or parts.query or parts.fragment:
            raise ValueError(problem + " (no user, query or fragment)")
        return value


class WebhookState(BaseModel):
    topics: list[str] = Field(default_factory=list)
    error: str | None = None


class StoreOut(BaseModel):
    id: uuid.UUID
    platform: str
    name: str | None = None
    base_url: str
    status: str
    last_error: str | None = None
    currency: str | None = None
    last_synced_at: datetime | None = None
    product_count: int
    webhooks: WebhookState
    sync_warning: str | None = Field(
        default=None,
        description="Why the last sync did not index everything (the plan's product quota)",
    )
    suspended_by_plan: bool = Field(
        default=False,
        description="Suspended by a downgrade: it does not sync until the plan has room",
    )
    created_at: datetime
    updated_at: datetime


class StoreInfoOut(BaseModel):
    home_url: str
    woocommerce_version: str | None = None
    wordpress_version: str | None = None
    currency: str
    product_count: int
    auth_mode: str


class TestProblem(BaseModel):
    code: str
    title: str
    detail: str


class StoreTestResult(BaseModel):
    ok: bool
    store: StoreInfoOut | None = None
    error: TestProblem | None = None


class SyncRequest(_Strict):
    mode: SyncMode = "incremental"


class SyncWarningOut(BaseModel):
    """Something a finished sync could not do without failing (read-only)."""

    code: str = Field(description='"product_quota": new products the plan left out')
    detail: str
    limit: int | None = None
    skipped: int | None = None
    plan: str | None = None


class SyncJobOut(BaseModel):
    id: uuid.UUID
    store_id: uuid.UUID
    mode: str
    trigger: str
    status: str
    total: int | None = None
    processed: int
    progress: float | None = Field(
        default=None, description="processed / total, once the total is known"
    )
    counts: dict[str, int]
    error: str | None = None
    warnings: list[SyncWarningOut] = Field(default_factory=list)
    created_at: datetime | None = None
    started_at: datetime | None = None
    heartbeat_at: datetime | None = None
    finished_at: datetime | None = None

    @classmethod
    def from_record(cls, record: SyncJobRecord) -> SyncJobOut:
        total, processed = record.total, record.processed
        progress = (
            min(1.0, processed / total)
            if total
            else (1.0 if record.status == SyncJobStatus.SUCCEEDED else None)
        )
        return cls(**record.model_dump(), progress=progress)
