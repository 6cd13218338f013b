from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from dashboard_api.validation import not_blank

ContentType = Literal["text", "markdown", "html"]
Kind = Literal["faq", "policy", "page", "other"]
MAX_BODY_BYTES = 200 * 1024


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


def _title(value: str | None) -> str | None:
    if value is None:
        return None
    return not_blank(" ".join(value.split()))


class KnowledgeCreate(_Strict):
    title: str = Field(min_length=1, max_length=500)
    body: str = Field(min_length=1, description="At most 200 KB (UTF-8); larger bodies are a 413")
    content_type: ContentType = "text"
    kind: Kind = "faq"
    bot_id: uuid.UUID | None = Field(
        default=None, description="Only this bot uses it; null: every bot"
    )

    @field_validator("title")
    @classmethod
    def _clean_title(cls, value: str) -> str | None:
        return _title(value)

    @field_validator("body")
    @classmethod
    def _body(cls, value: str) -> str:
        return not_blank(value)


class KnowledgeUpdate(_Strict):
    title: str | None = Field(default=None, min_length=1, max_length=500)
    body: str | None = Field(default=None, min_length=1)
    content_type: ContentType | None = None
    kind: Kind | None = None
    bot_id: uuid.UUID | None = None

    @field_validator("title")
    @classmethod
    def _clean_title(cls, value: str | None) -> str | None:
        return _title(value)

    @field_validator("body")
    @classmethod
    def _body(cls, value: str | None) -> str | None:
        return None if value is None else not_blank(value)


class KnowledgeSummary(BaseModel):
    id: uuid.UUID
    bot_id: uuid.UUID | None = None
    title: str
    kind: str
    content_type: str
    size_bytes: int
    suspended_by_plan: bool = Field(
        default=False,
        description="Suspended by a downgrade: the bots do not use it until the plan has room",
    )
    indexed_at: datetime | None = None
    created_at: datetime
    updated_at: datetime


class KnowledgeOut(KnowledgeSummary):
    body: str
    chunks: int


class IndexOutcome(BaseModel):
    document_id: uuid.UUID
    status: Literal["indexed", "unchanged", "superseded"]
    chunks: int
